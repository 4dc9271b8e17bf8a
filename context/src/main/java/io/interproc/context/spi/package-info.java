/** How {@link io.interproc.context.Interproc} finds the Redis implementation; not for applications. */
package io.interproc.context.spi;
