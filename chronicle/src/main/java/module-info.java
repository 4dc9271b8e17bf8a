/**
 * interproc chronicle: codecs that put Chronicle Bytes {@code BytesMarshallable} objects through
 * interproc's queues and pipes without Java serialization, and a Chronicle {@code Bytes} view of
 * a {@code SharedBytes}. Optional; unlike the library modules it needs JVM flags (see the
 * module's README and {@link io.interproc.chronicle.ChronicleJvmOptions}).
 */
module io.interproc.chronicle {
    requires transitive io.interproc.core;
    requires transitive chronicle.bytes;
    requires chronicle.core;

    exports io.interproc.chronicle;
}
