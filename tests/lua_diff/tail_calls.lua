-- proper tail calls (no stack growth), including methods and mutual recursion
local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc + 1) end
print(loop(100000, 0))
local obj = {}
function obj:count(n) if n == 0 then return "done" end return self:count(n - 1) end
print(obj:count(50000))
local function a(n) if n == 0 then return "A" end return b(n - 1) end
function b(n) return a(n) end
print(a(30000))
print(pcall(function() return loop(10, 0) end))
print(select("#", (function() return loop(0) end)()))
local function lvl2err() error("tail level 2", 2) end
local function viaTail() return lvl2err() end
print(pcall(viaTail))
local t = setmetatable({}, {__call = function(self, n) if n == 0 then return "called" end return self(n - 1) end})
print(t(20000))
local function multi() return 1, 2, 3 end
local function tailMulti() return multi() end
print(tailMulti())
local function tailNative(s) return string.upper(s) end
print(tailNative("abc"))
local function tailParen() return (multi()) end
print(tailParen())
