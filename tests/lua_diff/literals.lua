-- numeric and string literals
print(0x10, 0xff, 0XA, 0x7fffffff, 0xffffffff, 0x100000000)
print(1e2, 1E2, 1e+2, 1e-2, .5, 5., 3.25e1, 0.1e1)
print(123456789, 1234567890123, 0.000001, 1e-7)
print("\0651", "\1000", "a\tb", "\\n", "\"", '\'', "\z")
print([==[a]]b]=]c]==], [[]], [=[
x]=])
print(#"\0", #"\00", #"\000", #"\0000")
print(-0x10, - 0x10, -.5, -1e1)
print(1 --[[inline]] + 2)
print(2^2^3, -2^2, (-2)^2, 2^-1, not nil == true)
print(1 .. 2 == "12", "1" .. 2, 1 .. "")
print(3 % -2, -3 % 2, 3.5 % -2, -3.5 % 2)
print(0x10 + 0, 0xA * 2, 1e0)
local s = 'multi\
line'
print(s, #s)
print("a" .. "b" == "ab", "ab" < "abc", "b" > "abc")
print(9007199254740992, 9007199254740993, 1e21, 123e-20)
