-- loops, break, numeric for edge cases, and/or semantics
for i = 1, 3 do print("up", i) end
for i = 3, 1, -1 do print("down", i) end
for i = 1, 0 do print("never") end
for i = 1, 2, 0.5 do print("half", i) end
for i = 0.1, 0.5, 0.1 do print("tenth", i) end
for i = 1, 3 do local i = i * 10; print("shadow", i) end
for i = -1, -3, -1 do print("neg", i) end
for i = 1, math.huge do if i > 3 then break end print("huge", i) end
for i = "1", "2" do print("strfor", i) end
local n = 0
while true do n = n + 1; if n >= 5 then break end end
print(n)
repeat n = n - 1 until n <= 0
print(n)
local k = 0
repeat local done = k >= 3; k = k + 1 until done
print(k)
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then break end
    print("nested", i, j)
  end
end
print(nil or "default", false or nil, 0 or "zero", "" or "empty")
print(nil and 1, false and 1, 1 and 2, 1 and nil)
print(not nil, not 0, not "", not not nil)
print(1 and 2 or 3, nil and 2 or 3, false or false and 1)
local a = nil
local b = a or {}
print(type(b))
local x = 5
local s = x > 3 and "big" or "small"
print(s)
if x == 1 then print(1) elseif x == 5 then print(5) else print("other") end
if nil then print("no") elseif false then print("no") else print("else") end
local i = 10
for i = 1, 2 do end
print(i)
local cnt = 0
for _ = 1, 10, 3 do cnt = cnt + 1 end
print(cnt)
for v = 10, 1, -4 do print("step-4", v) end
do local scoped = 1; print(scoped) end
print(scoped)
local t = {}
for i = 1, 5 do if i % 2 == 0 then t[#t + 1] = i end end
print(table.concat(t, ","))
local function early(v) if v then return "early" end return "late" end
print(early(true), early(false))
local w = 0
while w < 10 do w = w + 3 end
print(w)
for i = 3, 1 do print("x") end
for i = 1, 3, -1 do print("y") end
local lim = 3
for i = 1, lim do lim = 1 end
print(lim)
