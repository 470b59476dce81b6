-- arithmetic, comparison, concat, call, tostring metamethods
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({x = x, y = y}, V) end
V.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
V.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
V.__mul = function(a, b)
  if type(a) == "number" then return vec(a * b.x, a * b.y) end
  if type(b) == "number" then return vec(a.x * b, a.y * b) end
  return a.x * b.x + a.y * b.y
end
V.__div = function(a, b) return vec(a.x / b, a.y / b) end
V.__mod = function(a, b) return vec(a.x % b, a.y % b) end
V.__pow = function(a, b) return vec(a.x ^ b, a.y ^ b) end
V.__unm = function(a) return vec(-a.x, -a.y) end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__lt = function(a, b) return a.x < b.x end
V.__le = function(a, b) return a.x <= b.x end
V.__concat = function(a, b)
  local function s(v) return type(v) == "table" and ("(" .. v.x .. "," .. v.y .. ")") or tostring(v) end
  return s(a) .. s(b)
end
V.__tostring = function(v) return "vec(" .. v.x .. ", " .. v.y .. ")" end
V.__call = function(self, k) return self[k] end
V.__len = function() return 99 end
local a, b = vec(1, 2), vec(3, 4)
print(tostring(a + b), tostring(a - b), a * b, tostring(2 * a), tostring(a * 3))
print(tostring(b / 2), tostring(b % 2), tostring(a ^ 2), tostring(-a))
print(a == b, a == vec(1, 2), a ~= vec(1, 2), a < b, a <= b, a > b, a >= b)
print(a .. b, a .. "!", "<" .. a, 1 .. a)
print(a("x"), a("y"), #a)
print(a, b)
local other = setmetatable({x = 1, y = 2}, {__eq = function() return true end})
print(a == other)
local same = setmetatable({}, {__eq = V.__eq})
print(a == {x = 1, y = 2})
local n = setmetatable({}, {__add = function(a, b) return "added" end})
print(n + 1, 1 + n, n + n)
print(pcall(function() return n - 1 end))
local c = setmetatable({}, {__concat = function(a, b) return "cat" end})
print(c .. "x", "x" .. c, 1 .. c, c .. c)
print("a" .. "b" .. c .. "d")
local ts = setmetatable({}, {__tostring = function() return 42 end})
print(pcall(tostring, ts))
local lt = {__lt = function(a, b) return true end}
local p, q = setmetatable({}, lt), setmetatable({}, lt)
print(p < q, pcall(function() return p <= q end))
local cl = setmetatable({}, {__call = function(self, a, b) return a + b, self end})
print((cl(2, 3)), select("#", cl(1, 1)))
print(pcall(function() return {} == {} end))
local e1 = setmetatable({}, {__eq = function() print("eq called") return false end})
print(e1 == e1)
print(rawequal(e1, e1))
