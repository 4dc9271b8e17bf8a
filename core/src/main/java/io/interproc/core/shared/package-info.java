/**
 * The types of coordination objects that exist wherever the objects live: in a local segment
 * (the {@code io.interproc.sync} and core classes implement them) or on another engine (the
 * {@code io.interproc.redis} module). Where the JDK has a type ({@code Lock}, {@code Condition},
 * {@code BlockingQueue}, {@code ConcurrentMap}, {@code List}) that type is used instead; these are the
 * others. Code written against them and a {@code io.interproc.context.Context} runs unchanged on
 * either kind of store.
 *
 * <p>Each interface states the guarantees every implementation gives; what differs between
 * implementations (recovery from a dead process, fairness, cost) is written in the implementing
 * class and, side by side, in the redis module's README.
 */
package io.interproc.core.shared;
