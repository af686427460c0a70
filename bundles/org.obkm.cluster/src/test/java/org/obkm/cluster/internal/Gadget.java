package org.obkm.cluster.internal;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import com.hazelcast.map.EntryProcessor;

/**
 * Stands for a deserialization gadget: Java deserialization of it runs {@link #readObject}, which
 * here only counts. The test sends it from a foreign member and checks the count stays zero.
 */
public final class Gadget implements Serializable, Callable<Boolean>, EntryProcessor<Object, Object, Object> {

    private static final long serialVersionUID = 1L;
    /** Times an instance came out of a byte stream, in any member of this JVM. */
    static final AtomicInteger DESERIALIZED = new AtomicInteger();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        DESERIALIZED.incrementAndGet();
        in.defaultReadObject();
    }

    @Override
    public Boolean call() {
        return Boolean.TRUE;
    }

    @Override
    public Object process(Map.Entry<Object, Object> entry) {
        return entry.setValue("overwritten");
    }
}
