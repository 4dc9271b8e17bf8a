/**
 * {@link io.interproc.context.Context}: the same factories whether the objects live in a local
 * segment or on Redis; {@link io.interproc.context.Interproc} makes contexts.
 */
package io.interproc.context;
