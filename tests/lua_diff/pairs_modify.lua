-- iteration with assignment to existing fields, next semantics
local t = {}
for i = 1, 10 do t[i] = i end
for k, v in pairs(t) do t[k] = nil end
print(next(t))
local h = {a = 1, b = 2, c = 3, d = 4}
local seen = 0
for k, v in pairs(h) do h[k] = v * 10; seen = seen + 1 end
print(seen, h.a + h.b + h.c + h.d)
local arr = {"x", "y", "z"}
local k, v = next(arr)
print(k, v)
k, v = next(arr, k)
print(k, v)
k, v = next(arr, 3)
print(k, v)
local mixed = {1, 2, 3, a = "A"}
local order = {}
for key in pairs(mixed) do order[#order + 1] = tostring(key) end
print(table.concat(order, " "))
local nums = {}
for i = 1, 5 do nums[i * 2] = i end
local sum = 0
for kk, vv in pairs(nums) do sum = sum + kk * vv end
print(sum)
local cnt = 0
for _ in pairs({}) do cnt = cnt + 1 end
print(cnt)
local stateful = {10, 20, 30}
local function iter(t, i) i = i + 1 if t[i] then return i, t[i] end end
for i, val in iter, stateful, 0 do print("custom", i, val) end
local function range(n)
  local i = 0
  return function() i = i + 1 if i <= n then return i end end
end
local acc = {}
for i in range(5) do acc[#acc + 1] = i end
print(table.concat(acc, ","))
for a, b, c in function(_, x) if x < 3 then return x + 1, x * 2, x * 3 end end, nil, 0 do print(a, b, c) end
