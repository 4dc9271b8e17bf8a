/**
 * The objects of a {@link io.interproc.context.Context} on Redis, through Redisson:
 * {@link io.interproc.redis.RedisContext}. The semantics beside the local objects' are tabled in
 * the module's README.
 */
package io.interproc.redis;
