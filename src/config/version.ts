/**
 * The Redis version cedis implements, as every reply, file and log line reports it: the one
 * place it is spelled.
 *
 * @module
 */

/** Redis version (INFO `redis_version`, HELLO, RDB `redis-ver`, `REDIS_VERSION` in Lua). */
export const REDIS_VERSION = "7.0.15";

/** The version as a number, 0x00MMmmpp (Lua's `redis.REDIS_VERSION_NUM`). */
export const REDIS_VERSION_NUM = (7 << 16) | (0 << 8) | 15;
