-- string.gmatch iteration
local function collect(it)
  local out = {}
  for a, b in it do
    out[#out + 1] = tostring(a) .. (b and ("=" .. tostring(b)) or "")
  end
  return table.concat(out, " ")
end
for w in string.gmatch("one two three", "%a+") do print(w) end
for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do print(k, v) end
print(collect(string.gmatch("abc", "()")))
local n = 0
for _ in string.gmatch("", ".") do n = n + 1 end
print(n)
print(collect(("1,2,,3"):gmatch("([^,]*)")))
print(collect(string.gmatch("xaybzc", "(%a)(%a)")))
local it = string.gmatch("hello", "l")
print(it(), it(), it())
print(collect(string.gmatch("The quick brown fox", "%f[%w]%w+")))
print(collect(string.gmatch("10 20 30", "%d+")))
print(collect(string.gfind("a b", "%a")))
print(collect(string.gmatch("^a^b", "^.")))
print(collect(string.gmatch("aaa", "a*")))
print(collect(string.gmatch("abc", "")))
