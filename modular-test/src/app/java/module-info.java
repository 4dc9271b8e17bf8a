/**
 * A small application that uses interproc as a module: it reads only what the interproc modules
 * export. ModularApplicationTest compiles and runs it on the module path.
 */
module io.interproc.modulartest {
    requires io.interproc.core;
    requires io.interproc.sync;
    requires io.interproc.ipc;
    requires io.interproc.pool;
}
