-- upvalues shared between closures and modified after capture
local function pair()
  local v = 0
  return function() v = v + 1 return v end, function() return v end
end
local inc, get = pair()
inc() inc() inc()
print(get())
local fs = {}
for i = 1, 3 do
  local shared = i
  fs[i] = {set = function(x) shared = x end, get = function() return shared end}
end
fs[1].set(100)
print(fs[1].get(), fs[2].get(), fs[3].get())
local x = 1
local function f() x = x + 1 end
f() f()
print(x)
local function make()
  local n = 0
  local function a() n = n + 1 return n end
  local function b() n = n * 10 return n end
  return a, b
end
local a, b = make()
print(a(), b(), a(), b())
local co = coroutine.wrap(function()
  local count = 0
  while true do count = count + 1 coroutine.yield(count) end
end)
print(co(), co(), co())
local gens = {}
for i = 1, 3 do
  gens[i] = coroutine.wrap(function() for j = 1, 2 do coroutine.yield(i * 10 + j) end end)
end
print(gens[1](), gens[2](), gens[3](), gens[1](), gens[3]())
local loopvar = {}
for k, v in pairs({a = 1}) do loopvar[1] = function() return k .. v end end
print(loopvar[1]())
local w = 0
local closures = {}
while w < 3 do
  w = w + 1
  local captured = w
  closures[w] = function() return captured + w end
end
print(closures[1](), closures[2](), closures[3]())
