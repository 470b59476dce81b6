-- more coroutine cases
local co = coroutine.create(function(...) return ... end)
print(coroutine.resume(co, 1, 2, 3))
print(coroutine.resume(co))
local yielder = coroutine.create(function()
  for i = 1, 3 do
    local got = coroutine.yield(i, i * 2)
    print("received", got)
  end
  return "fin"
end)
for i = 1, 5 do print(coroutine.resume(yielder, "v" .. i)) end
local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end return nil end)
end
local total = 0
for v in gen(100) do total = total + v end
print(total)
local nested = coroutine.wrap(function()
  local inner = coroutine.wrap(function() coroutine.yield("inner1") coroutine.yield("inner2") end)
  coroutine.yield(inner())
  coroutine.yield("outer")
  coroutine.yield(inner())
end)
print(nested(), nested(), nested())
local errAfterYield = coroutine.create(function() coroutine.yield(1) error("later") end)
print(coroutine.resume(errAfterYield))
print(coroutine.resume(errAfterYield))
print(coroutine.status(errAfterYield))
local st = coroutine.create(function() return coroutine.status(coroutine.running()) end)
print(coroutine.resume(st))
local w = coroutine.wrap(function(a) local b = coroutine.yield(a * 2) return b + 1 end)
print(w(5), w(10))
print(pcall(w))
local t = {}
local fill = coroutine.wrap(function() for i = 1, 3 do t[i] = coroutine.yield() end end)
fill() fill("a") fill("b") fill("c")
print(t[1], t[2], t[3])
local ok, msg = pcall(coroutine.wrap(function() local x = nil; return x.field end))
print(ok, msg)
local viaPcall = coroutine.create(function()
  local ok, v = pcall(coroutine.yield, "from pcall")
  return ok, v
end)
print(coroutine.resume(viaPcall))
print(coroutine.resume(viaPcall, "resumed"))
local mtco = coroutine.create(function()
  local obj = setmetatable({}, {__add = function(a, b) return coroutine.yield("in meta") end})
  return obj + 1
end)
print(coroutine.resume(mtco))
