package org.obkm.itests.cluster;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import com.hazelcast.map.EntryProcessor;

/**
 * A class only the foreign member has, standing for a deserialization gadget: a node that resolved it
 * would fail with ClassNotFoundException at best; the node must refuse it by name, before any class
 * loading, and say so in one line. Its {@link #readObject} counts, to show nothing came back either.
 */
public final class ForeignGadget implements Serializable, Callable<Boolean>, EntryProcessor<Object, Object, Object> {

    private static final long serialVersionUID = 1L;
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
