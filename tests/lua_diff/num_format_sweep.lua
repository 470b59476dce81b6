-- sweep of number formatting (%.14g and string.format) over many values
local out = {}
for i = -20, 20 do out[#out + 1] = tostring(i / 7) end
print(table.concat(out, " "))
out = {}
for i = 0, 70, 5 do out[#out + 1] = tostring(2 ^ i) .. "," .. tostring(2 ^ -i) end
print(table.concat(out, " "))
out = {}
for i = -12, 22, 2 do out[#out + 1] = tostring(10 ^ i) .. "," .. tostring(3 * 10 ^ i) end
print(table.concat(out, " "))
out = {}
for i = 1, 30 do out[#out + 1] = string.format("%.2f", i / 8) end
print(table.concat(out, " "))
out = {}
for i = 1, 30 do out[#out + 1] = string.format("%.1f", i * 0.05) end
print(table.concat(out, " "))
out = {}
for i = 1, 20 do out[#out + 1] = string.format("%.3e", i ^ 7 / 3) end
print(table.concat(out, " "))
out = {}
for i = 1, 20 do out[#out + 1] = string.format("%g", i ^ 9 / 7) end
print(table.concat(out, " "))
out = {}
for i = 1, 20 do out[#out + 1] = string.format("%.0f", i + 0.5) end
print(table.concat(out, " "))
out = {}
for i = 1, 16 do out[#out + 1] = string.format("%10.4g|%-10.3G|", i ^ 5 * 1.1, 1 / i ^ 5) end
print(table.concat(out, " "))
out = {}
for i = 1, 25 do out[#out + 1] = tostring(12345678901234 + i / 2) end
print(table.concat(out, " "))
out = {}
for i = 1, 20 do out[#out + 1] = tostring(0.1 * i) end
print(table.concat(out, " "))
out = {}
for i = 1, 20 do out[#out + 1] = tostring(1 - 10 ^ -i) end
print(table.concat(out, " "))
out = {}
for i = 1, 10 do out[#out + 1] = string.format("%.15g|%.17g", 1 / i, 1 / i) end
print(table.concat(out, " "))
out = {}
for _, v in ipairs({0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1.005, 1e-5, 123.456, 99.995}) do
  out[#out + 1] = string.format("%.0f %.1f %.2f %.3g %.2e", v, v, v, v, v)
end
print(table.concat(out, " | "))
