-- generated random table mutations: pairs order and borders must match lua5.1's hash layout
local function dump(t) local o = {} for k, v in pairs(t) do o[#o + 1] = tostring(k) .. "=" .. tostring(v) end return #t .. " | " .. table.concat(o, " ") end
do local t = {a = 1, b = 2}
  t["c"] = nil
  t[5] = nil
  t[7] = 8
  t["k" .. 3] = 12
  t["x1"] = 31
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {}
  t["x1"] = 73
  table.remove(t)
  t[4] = 51
  table.remove(t)
  t[3] = 18
  t[1.5] = 70
  t[8] = 72
  t[16] = 74
  t[17] = 71
  t[5] = 80
  t[20] = 69
  t["x1"] = nil
  t["longer key name"] = 59
  t["a"] = 24
  t[33] = 39
  table.insert(t, 8)
  t[1.5] = 10
  t[8] = 22
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {a = 1, b = 2}
  t[""] = 86
  t[5] = nil
  t[2^40] = 45
  t[""] = 59
  t[5] = nil
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {a = 1, b = 2}
  t[5] = 90
  t[-0.5] = 88
  t["x2"] = 50
  t[false] = 60
  t[false] = 15
  t[""] = 99
  t[1.5] = 32
  t["c"] = 64
  t[6] = 52
  table.insert(t, 7)
  t[-1] = nil
  t[false] = nil
  table.remove(t)
  t[10] = 20
  t[32] = nil
  t[1] = 76
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {1, 2, 3}
  t[1.5] = 54
  t["a"] = 41
  t[9] = nil
  table.remove(t)
  t[4] = 88
  t["c"] = 51
  t[7] = 52
  t[4] = 27
  t["x2"] = 44
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {"p", "q", "r", "s", "t"}
  t[7] = 20
  table.remove(t)
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {"p", "q", "r", "s", "t"}
  table.insert(t, 7)
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {1, 2, 3}
  table.remove(t)
  t["a"] = 15
  table.remove(t)
  t["longer key name"] = 40
  t[6] = 96
  t[true] = nil
  t["1"] = nil
  t[12] = 27
  t["a"] = 70
  t[2] = nil
  table.remove(t)
  t[6] = nil
  t[0] = 22
  t[false] = nil
  t["k" .. 3] = 29
  t[17] = nil
  t["c"] = nil
  t[32] = 64
  t[false] = nil
  t[2] = nil
  t["1"] = 89
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {"p", "q", "r", "s", "t"}
  t["x2"] = nil
  table.remove(t)
  t["a"] = 14
  t[32] = 44
  t[20] = 79
  t[1] = 84
  t[false] = nil
  t[6] = nil
  table.insert(t, 4)
  table.insert(t, 7)
  t[true] = 93
  t["c"] = 96
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {}
  t[12] = 17
  t[2] = 60
  t[10] = 77
  t["1"] = nil
  t[false] = 71
  t[9] = 93
  t[7] = 18
  table.remove(t)
  t[17] = nil
  t[20] = 28
  t[1.5] = 98
  t[2^40] = 54
  t[9] = 95
  table.insert(t, 9)
  t["key"] = nil
  t["k" .. 3] = 20
  t["k" .. 3] = 57
  t[16] = 20
  t[16] = 80
  t[8] = 42
  t["1"] = nil
  table.insert(t, 1)
  t[33] = 6
  t[7] = 72
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {}
  t[5] = 79
  t["k" .. 3] = 26
  t[-1] = 69
  t["1"] = 32
  table.remove(t)
  t[17] = nil
  t[9] = 51
  t["x2"] = 86
  t[33] = 28
  t[-0.5] = nil
  table.remove(t)
  t["a"] = 18
  t["longer key name"] = 13
  table.insert(t, 3)
  t[32] = 56
  t["k" .. 3] = 54
  t[17] = 12
  t["a"] = 71
  t["longer key name"] = 3
  t["b"] = 80
  t[1.5] = 9
  table.remove(t)
  table.remove(t)
  t[7] = 35
  table.insert(t, 3)
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {a = 1, b = 2}
  t[9] = nil
  t[0] = 69
  t["k" .. 3] = 90
  t[2^40] = 8
  t[16] = 10
  table.remove(t)
  t[6] = nil
  t[6] = 29
  t[5] = 16
  t["longer key name"] = 71
  table.remove(t)
  t[-1] = 6
  table.remove(t)
  t[12] = 24
  table.remove(t)
  t[-0.5] = 27
  t[1.5] = 87
  t[16] = 3
  t[0] = 3
  t["k" .. 3] = 25
  t["k" .. 3] = 58
  t[7] = nil
  t["x1"] = nil
  table.remove(t)
  t[-0.5] = nil
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {1, 2, 3}
  t[17] = nil
  t[9] = 45
  t[4] = nil
  t[1] = 95
  t[0] = 8
  t[6] = nil
  table.insert(t, 5)
  t[33] = nil
  t[3] = 21
  t[-1] = 34
  table.remove(t)
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {"p", "q", "r", "s", "t"}
  t[33] = 40
  t[20] = 1
  t[true] = 61
  t[-1] = 26
  t[33] = 1
  t[6] = 12
  t[10] = 6
  t["c"] = 39
  t[32] = 68
  t[10] = nil
  t["b"] = nil
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {[1] = 1, [2] = 2, [4] = 4}
  t[10] = 80
  t[10] = 92
  t["k" .. 3] = 94
  t["k" .. 3] = 68
  t["k" .. 3] = 3
  t[32] = 6
  t[9] = 14
  t["b"] = nil
  t[4] = 81
  t[33] = 1
  t["longer key name"] = nil
  table.insert(t, 2)
  t[5] = nil
  t["1"] = 10
  t[0] = 97
  t[20] = 84
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {1, 2, x = 3, [10] = 4}
  t["b"] = 88
  t[1.5] = nil
  t[17] = 19
  t[true] = 96
  t[-0.5] = 18
  t[1] = 63
  table.remove(t)
  t[7] = nil
  t[""] = 67
  t[1.5] = 60
  table.remove(t)
  t[17] = 11
  t["1"] = 59
  t[5] = nil
  table.remove(t)
  t["b"] = 27
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {}
  t[6] = 68
  table.remove(t)
  t[9] = 81
  t["k" .. 3] = 15
  t["a"] = 63
  t["c"] = 1
  t[""] = nil
  t["c"] = 19
  t["key"] = 41
  t[8] = nil
  t[1] = 44
  t["c"] = 26
  table.insert(t, 5)
  t[0] = 51
  table.remove(t)
  t[5] = 55
  table.insert(t, 5)
  t[7] = 85
  t[1.5] = 20
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {1, 2, 3}
  t["x1"] = 25
  t["a"] = nil
  table.insert(t, 7)
  t[20] = nil
  table.remove(t)
  t["key"] = 97
  t[9] = 37
  t[""] = 71
  t[9] = 54
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {a = 1, b = 2}
  t[-0.5] = 95
  t[0] = 31
  t[-0.5] = 86
  t["c"] = 83
  t[12] = 65
  t[""] = 58
  table.remove(t)
  t["x2"] = 71
  t[17] = 23
  t[true] = 41
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {1, 2, 3}
  t[0] = nil
  table.insert(t, 7)
  t["b"] = 68
  t[20] = 44
  t[4] = 74
  t["a"] = 65
  t[20] = 32
  t["b"] = 58
  table.remove(t)
  t[2] = 55
  table.remove(t)
  t[""] = 51
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {"p", "q", "r", "s", "t"}
  t["x2"] = 14
  t[32] = 67
  table.remove(t)
  t["longer key name"] = 6
  t[1] = nil
  t[32] = 5
  table.remove(t)
  t[0] = 56
  t[8] = 39
  t[17] = 29
  t[1] = 39
  t["longer key name"] = 41
  t[33] = 31
  t[33] = 53
  t[-0.5] = 25
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {1, 2, x = 3, [10] = 4}
  t["key"] = 30
  table.remove(t)
  t[32] = 90
  t[true] = nil
  t["a"] = nil
  t[17] = 38
  t["k" .. 3] = 64
  t[17] = 25
  t[32] = 34
  t[1.5] = 80
  t[""] = 29
  t[""] = 86
  table.remove(t)
  table.remove(t)
  t[4] = 77
  t[10] = 91
  t[4] = 58
  t[2^40] = nil
  table.remove(t)
  t[true] = 84
  t["longer key name"] = 86
  t["b"] = nil
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {a = 1, b = 2}
  t[12] = 11
  t[-1] = 54
  t[8] = 98
  t[20] = 99
  t[-0.5] = nil
  t["x1"] = 91
  t["1"] = 70
  t["x2"] = 47
  t["1"] = 53
  t[33] = nil
  t["c"] = 5
  t["longer key name"] = 8
  t[0] = 9
  t[true] = 43
  t[3] = 92
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {[1] = 1, [2] = 2, [4] = 4}
  t[-1] = 93
  t[5] = 30
  t[7] = 60
  t["b"] = nil
  t["x1"] = nil
  table.remove(t)
  t[16] = 95
  t[-0.5] = nil
  t[10] = 42
  t[2^40] = 77
  t[6] = 51
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {1, 2, 3}
  t["key"] = 5
  t["1"] = 42
  table.remove(t)
  table.remove(t)
  t[0] = 27
  t[7] = 91
  t["x2"] = 18
  t["key"] = 87
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {1, 2, 3}
  t[8] = nil
  t[1.5] = 73
  t[-1] = 95
  t[0] = 32
  t[16] = 20
  table.insert(t, 4)
  t[2^40] = 33
  t[33] = 30
  t[7] = nil
  t[3] = 61
  t[32] = nil
  t["a"] = 38
  t[32] = 25
  table.remove(t)
  t["a"] = 23
  t["x2"] = 86
  t[1] = 77
  t[false] = 48
  t[true] = 27
  t[0] = 94
  t[20] = nil
  t[2^40] = 48
  t[16] = 10
  t[20] = 64
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {"p", "q", "r", "s", "t"}
  t[5] = 51
  t[10] = 12
  t[12] = 35
  table.remove(t)
  t[-0.5] = 7
  t[-0.5] = nil
  t[false] = 3
  t["a"] = 51
  t["c"] = 1
  table.insert(t, 7)
  t[8] = nil
  t["c"] = 47
  t["longer key name"] = nil
  t[9] = 71
  t[10] = 51
  t[6] = 48
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {[1] = 1, [2] = 2, [4] = 4}
  t[12] = 37
  t[12] = 9
  t[7] = 97
  t[17] = 6
  t["1"] = 78
  t["b"] = 92
  t[12] = 29
  t["c"] = 26
  t["1"] = 28
  t[3] = 67
  t[12] = 16
  t[10] = 93
  t[17] = 72
  t[3] = nil
  t[2^40] = 77
  t["longer key name"] = 81
  t[-0.5] = 40
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {"p", "q", "r", "s", "t"}
  t["x1"] = 48
  t["x2"] = 23
  t[2] = 63
  t["longer key name"] = 98
  t["longer key name"] = nil
  t["1"] = 9
  t[9] = 47
  t[6] = nil
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
do local t = {"p", "q", "r", "s", "t"}
  t[3] = 17
  table.remove(t)
  t[2^40] = nil
  t["k" .. 3] = 97
  table.insert(t, 3)
  table.insert(t, 2)
  t[17] = 63
  table.remove(t)
  t[12] = nil
  t[32] = 45
  t[0] = 79
  table.insert(t, 8)
  t[10] = 62
  t[20] = 79
  t["k" .. 3] = 48
  t[3] = 52
  t[12] = 36
  print(dump(t))
  local n = 0 for k, v in pairs(t) do if type(k) == "string" then t[k] = v + 1 end n = n + 1 end print(n, next(t) ~= nil)
end
