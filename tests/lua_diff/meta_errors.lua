-- errors raised inside metamethods and their positions
local mt = {}
mt.__add = function(a, b) error("add failed") end
mt.__index = function(t, k) error("no key " .. tostring(k), 2) end
mt.__newindex = function(t, k, v) error({code = k}) end
mt.__call = function(self, x) if x == nil then error("need arg", 2) end return x end
mt.__concat = function(a, b) return nil .. "x" end
mt.__eq = function() error("eq failed", 0) end
mt.__lt = function() return nil < 1 end
local a = setmetatable({}, mt)
local b = setmetatable({}, mt)
print(pcall(function() return a + 1 end))
print(pcall(function() return a.missing end))
local ok, e = pcall(function() a.x = 1 end)
print(ok, type(e), e.code)
print(pcall(function() return a() end))
print(pcall(function() return a(5) end))
print(pcall(function() return a .. "s" end))
print(pcall(function() return a == b end))
print(pcall(function() return a < b end))
print(pcall(function() return tostring(setmetatable({}, {__tostring = function() error("ts err") end})) end))
print(pcall(function() return #setmetatable({}, {__len = function() error("never") end}) end))
print(pcall(function() local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x end) == false)
print(pcall(function() return setmetatable({}, {__unm = function() return "neg" end}) end) and "ok")
local cnt = 0
local lazy = setmetatable({}, {__index = function(t, k) cnt = cnt + 1 rawset(t, k, k * 2) return k * 2 end})
print(lazy[5], lazy[5], cnt)
