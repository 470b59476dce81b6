-- loops with complex conditions and nested breaks
local i, j = 0, 10
while i < j and i * j < 30 do i = i + 1; j = j - 1 end
print(i, j)
local n = 0
repeat
  n = n + 1
  if n % 2 == 0 then
    local m = 0
    while true do m = m + 1 if m > 2 then break end end
  end
until n >= 5 or n * n > 100
print(n)
local found
for a = 1, 10 do
  for b = a, 10 do
    if a * b == 42 then found = a .. "x" .. b break end
  end
  if found then break end
end
print(found)
local x = 0
while not (x >= 5) do x = x + 1 end
print(x)
local t = {3, 1, 4, 1, 5, 9, 2, 6}
local maxv, maxi = -math.huge, 0
for idx, v in ipairs(t) do if v > maxv then maxv, maxi = v, idx end end
print(maxv, maxi)
local count = 0
for k = 10, 1, -1 do
  if k % 3 == 0 then count = count + 1 end
end
print(count)
local s = 0
for q = 1, 3 do for r = 1, 3 do for u = 1, 3 do s = s + q * r * u end end end
print(s)
local fib = {1, 1}
while #fib < 20 do fib[#fib + 1] = fib[#fib] + fib[#fib - 1] end
print(fib[20], #fib)
