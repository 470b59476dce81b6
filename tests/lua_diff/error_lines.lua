-- error positions in multi-line statements and nested calls
local function thrower(msg) error(msg, 2) end
print(pcall(function()
  local x = 1 +
    nil
end))
print(pcall(function()
  thrower("called on line 8")
end))
print(pcall(function()
  local t = {}
  local v = string.rep("x",
    t)
end))
print(pcall(function()
  local a = "x"
  local b = a ..
    {}
end))
print(pcall(function()
  local y = 1
  return y <
    {}
end))
print(pcall(function()
  print("a",
    error("nested error on 27"))
end))
local function lvl3() error("three", 3) end
local function lvl2() lvl3() end
local function lvl1()
  lvl2()
end
print(pcall(lvl1))
print(pcall(function()
  local t = setmetatable({}, {__index = function(t, k)
    error("index error for " .. k, 2)
  end})
  return t.missing
end))
print(pcall(function()
  local f = nil
  f(
    1)
end))
print(pcall(function()
  local t = {}
  t[nil] = 1
end))
print(pcall(function() assert(false, "assert on 49") end))
print(pcall(function()
  local s = ("x"):rep(2,
    3, 4) .. nil
end))
