package io.interproc.ipc.queue.contract;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/** The control: the JDK's own bounded queue passes the contract suite. */
class ArrayBlockingQueueContractTest extends BlockingQueueContract {
    @Override
    BlockingQueue<String> emptyQueue() {
        return new ArrayBlockingQueue<>(CAPACITY);
    }

    @Override
    boolean offersCollectionView() {
        return true;
    }
}
