-- table constructors
local function three() return 1, 2, 3 end
local t1 = {three()}
local t2 = {three(), three()}
local t3 = {(three())}
local t4 = {three(), 10}
local t5 = {x = 1, three()}
local t6 = {three(), x = 1}
print(#t1, #t2, #t3, #t4, #t5, #t6)
print(t2[1], t2[2], t2[4], t4[2], t5[3], t6.x)
local t7 = {[1] = "a", "b"}
print(t7[1])
local t8 = {"a", [1] = "b"}
print(t8[1])
local t9 = {1, 2, 3; 4, 5; n = 2,}
print(#t9, t9.n)
local t10 = {[1 + 1] = "two", ["k" .. 1] = "k1", [true] = "yes"}
print(t10[2], t10.k1, t10[true])
local t11 = {{1, 2}, {3, 4}}
print(t11[2][1], #t11)
local function va(...) return {...}, {n = select("#", ...), ...} end
local a, b = va(nil, 2, nil)
print(#b, b.n, b[2])
local t12 = {f = function(self) return self.v end, v = 42}
print(t12:f())
local t13 = {}
t13[1], t13[2], t13[3] = "x", "y"
print(t13[1], t13[2], t13[3], #t13)
local big = {}
for i = 1, 60 do big[i] = i end
local copy = {unpack(big)}
print(#copy, copy[60])
local nested = {a = {b = {c = "deep"}}}
print(nested.a.b.c, nested["a"]["b"]["c"])
local t14 = {nil, nil, 3}
print(t14[3])
local t15 = {1, nil}
print(#t15)
