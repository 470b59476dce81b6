-- recursion and stack overflow
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(1000))
local function inf() return inf() + 1 end
local ok, e = pcall(inf)
print(ok, (string.gsub(e, "^.-:%d+: ", "")))
local function mutualA(n) if n == 0 then return "A" end return mutualB(n - 1) end
function mutualB(n) if n == 0 then return "B" end return mutualA(n - 1) end
print(mutualA(10), mutualA(11))
local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end
print(ack(2, 3))
local function hanoi(n, a, b, c, moves)
  if n == 0 then return moves end
  moves = hanoi(n - 1, a, c, b, moves)
  moves = moves + 1
  return hanoi(n - 1, c, b, a, moves)
end
print(hanoi(10, "a", "b", "c", 0))
local t = setmetatable({}, {__index = function(t, k) return t[k + 1] end})
local ok2, e2 = pcall(function() return t[1] end)
print(ok2)
local function sum(t, i) i = i or 1 if i > #t then return 0 end return t[i] + sum(t, i + 1) end
print(sum({1, 2, 3, 4, 5}))
