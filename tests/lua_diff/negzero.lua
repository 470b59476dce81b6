-- negative zero (constants 0 and -0 share a slot per function in Lua 5.1)
local function f1() return 0, -0 end
local function f2() return -0, 0 end
print(f1())
print(f2())
local function f3(x) return x * -1 end
print(f3(0), f3(-0.0 + 0))
local function f4() local z = 0 return -z, z / -1, 0 * -1 end
print(f4())
local function f5() return math.floor(-0.5), math.ceil(-0.5), -0.5 + 0.5 end
print(f5())
local function f6() local a = 0 local b = -a return string.format("%g %g %.1f", a, b, b) end
print(f6())
local function f7() local z = 1 - 1 return -z, tostring(-z), -z == 0 end
print(f7())
local function f8() local t = {} t[-(1-1)] = "v" for k in pairs(t) do return k end end
print(f8())
local function f9() return 1/(-(1 - 1)), 1/(1 - 1) end
print(f9())
