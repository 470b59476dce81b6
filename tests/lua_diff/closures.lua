-- closures, upvalues, per-iteration locals
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(), c1(), c2())
local fns = {}
for i = 1, 3 do fns[i] = function() return i end end
print(fns[1](), fns[2](), fns[3]())
local fns2 = {}
for _, v in ipairs({"a", "b", "c"}) do fns2[#fns2 + 1] = function() return v end end
print(fns2[1](), fns2[2](), fns2[3]())
local fns3 = {}
local j = 1
while j <= 3 do
  local k = j
  fns3[j] = function() return k end
  j = j + 1
end
print(fns3[1](), fns3[2](), fns3[3]())
local fns4 = {}
local r = 0
repeat
  local captured = r * 10
  fns4[#fns4 + 1] = function() return captured end
  r = r + 1
until captured >= 20
print(fns4[1](), fns4[2](), fns4[3]())
local function mk()
  local shared = 0
  local function inc() shared = shared + 1 end
  local function get() return shared end
  return inc, get
end
local inc, get = mk()
inc(); inc()
print(get())
local x = 1
local function f() return x end
x = 2
print(f())
local function outer()
  local a = 1
  local function mid()
    local function inner() a = a + 1; return a end
    return inner
  end
  return mid()
end
local g = outer()
print(g(), g())
do
  local z = 5
  function globalClosure() return z end
end
print(globalClosure())
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(10), fact(20))
local fib
fib = function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
local t = {}
for i = 1, 3 do
  local v = i * i
  t[i] = function() v = v + 1; return v end
end
print(t[1](), t[1](), t[2](), t[3]())
local acc = {}
for i = 10, 1, -3 do acc[#acc + 1] = function() return i end end
print(acc[1](), acc[2](), acc[3](), acc[4](), #acc)
