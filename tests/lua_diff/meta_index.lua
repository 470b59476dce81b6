-- __index / __newindex / rawget / rawset
local base = {greet = function(self) return "hi " .. self.name end, kind = "base"}
local obj = setmetatable({name = "obj"}, {__index = base})
print(obj:greet(), obj.kind, rawget(obj, "kind"), obj.missing)
local calls = 0
local lazy = setmetatable({}, {__index = function(t, k) calls = calls + 1; return k .. "!" end})
print(lazy.a, lazy.b, lazy[1], calls)
local log = {}
local proxy = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v * 2) end})
proxy.x = 1; proxy.y = 2; proxy.x = 10
print(proxy.x, proxy.y, table.concat(log, ","))
local store = {}
local redirect = setmetatable({}, {__newindex = store})
redirect.a = 5
print(rawget(redirect, "a"), store.a)
local chain3 = setmetatable({}, {__index = setmetatable({}, {__index = setmetatable({}, {__index = {deep = "yes"}})})})
print(chain3.deep)
print(rawequal(obj, obj), rawequal(obj, base), rawequal("a", "a"), rawequal(1, 1.0))
print(rawget(setmetatable({}, {__index = function() return 1 end}), "x"))
local ro = setmetatable({}, {__newindex = function(t, k) error("readonly " .. k, 2) end})
print(pcall(function() ro.field = 1 end))
local t = setmetatable({}, {__index = function(t, k) return k * 2 end})
print(t[21], t[1.5])
local cnt = setmetatable({}, {__index = function() return 0 end})
cnt.a = cnt.a + 1; cnt.a = cnt.a + 1
print(cnt.a, cnt.b)
local strmeta = getmetatable("")
print(type(strmeta), strmeta.__index == string)
print(("abc"):len(), ("%d-%d"):format(1, 2), #("x"):rep(10))
local s = "hello"
print(s:upper(), s.len == string.len, pcall(function() return s.nofield.x end))
print(getmetatable(setmetatable({}, {__metatable = "locked"})))
print(pcall(setmetatable, setmetatable({}, {__metatable = "locked"}), {}))
print(getmetatable({}), getmetatable(1), getmetatable(print))
print(pcall(setmetatable, {}, 1))
local idx = setmetatable({}, {__index = "string value"})
print(pcall(function() return idx.len == string.len end))
