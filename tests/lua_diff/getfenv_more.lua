-- environments
local env = setmetatable({}, {__index = _G})
local f = loadstring("y = 10; return y + (z or 0)")
setfenv(f, env)
print(f(), env.y, rawget(_G, "y"))
env.z = 5
print(f())
local function g() return getfenv(1) end
print(g() == _G)
local h = function() return v end
setfenv(h, {v = "from env"})
print(h())
local function setsOwn()
  setfenv(1, {print = print, tostring = tostring})
  newvar = 1
  return newvar
end
print(setsOwn(), rawget(_G, "newvar"))
print(pcall(setfenv, 100, {}))
print(pcall(getfenv, -1))
print(getfenv(print) == _G)
local function lvl2() return getfenv(2) end
local function caller() local e = lvl2() return e end
print(caller() == _G)
