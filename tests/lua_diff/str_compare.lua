-- string comparison, equality and sort order (C locale)
local words = {"banana", "Apple", "apple", "Banana", "_x", "123", "", " ", "a b", "ab", "a\0b", "a\0a"}
table.sort(words)
local out = {}
for i, w in ipairs(words) do out[i] = string.format("%q", w) end
print(table.concat(out, " "))
print("a" < "b", "a" <= "a", "b" > "a", "abc" < "abd", "ab" < "abc", "" < "\0")
print("\255" > "\1", "Z" < "a", "9" < "A", "a\0b" < "a\0c", "a\0" > "a")
print(("x"):rep(3) == "xxx", "abc" ~= "ABC", ("abc"):upper() == "ABC")
local a, b = "hello", "hel" .. "lo"
print(a == b, rawequal(a, b))
print(pcall(function() return "a" < 1 end))
print(pcall(function() return {} < "a" end))
print(1 == "1", "1" == 1, 0 == false, nil == false, "" == false)
