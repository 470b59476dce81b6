-- function definition forms
local M = {sub = {}}
function M.f(x) return x + 1 end
function M.sub.g(x) return x * 2 end
function M.sub:h(x) return self == M.sub, x end
print(M.f(1), M.sub.g(2), M.sub:h(3))
local function rec(n) return n <= 0 and 0 or n + rec(n - 1) end
print(rec(10))
local anon = function(...) return select("#", ...) end
print(anon(1, 2, 3))
globalfn = function() return "global" end
print(globalfn())
function globalfn2() return "global2" end
print(globalfn2())
local obj = {n = 0}
function obj:inc(by) self.n = self.n + (by or 1) return self end
obj:inc():inc(5):inc()
print(obj.n)
local function noret() end
print(noret(), select("#", noret()))
local function retnil() return nil end
print(retnil(), select("#", retnil()))
local function manyret() return 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 end
print(manyret())
print(select("#", manyret()))
local function params(a, b, c) return a, b, c end
print(params(1), params(1, 2, 3, 4))
local f = function(a, ...) local b, c = ... return a, b, c end
print(f(1, 2, 3, 4))
print((function(...) return ... end)(1, nil, 3))
do
  local function shadow() return "inner" end
  print(shadow())
end
print(type(shadow))
local x = 10
local function readsOuter() return x end
local x = 20
print(readsOuter(), x)
