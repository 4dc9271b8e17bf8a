/**
 * interproc metrics: a Micrometer {@code MeterBinder} exposing the figures of a segment's objects,
 * the numbers {@code interproc inspect} and the JMX MBeans show. Optional: the library modules do
 * not need it.
 */
module io.interproc.metrics {
    requires transitive io.interproc.core;
    requires transitive micrometer.core;

    exports io.interproc.metrics;
}
