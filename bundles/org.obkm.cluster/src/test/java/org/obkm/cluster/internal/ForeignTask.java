package org.obkm.cluster.internal;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * What a foreign member makes of our wire format without our key: it carries our factory and class
 * id, so OBKM members read it as an invalidation, with any bytes and any declared length. Received on
 * the foreign member (which is asked to confirm every invalidation, being a member), it records the
 * bytes: an eavesdropper's copy, for replay.
 */
final class ForeignTask implements IdentifiedDataSerializable, Callable<Boolean> {

    /** Invalidations the foreign member saw. */
    static final Queue<byte[]> OVERHEARD = new ConcurrentLinkedQueue<>();

    /** The foreign member's factory under our id. */
    static final DataSerializableFactory FACTORY = id -> new ForeignTask();

    private int declaredLength;
    private byte[] bytes;

    ForeignTask() {
    }

    ForeignTask(byte[] bytes) {
        this(bytes.length, bytes);
    }

    ForeignTask(int declaredLength, byte[] bytes) {
        this.declaredLength = declaredLength;
        this.bytes = bytes;
    }

    @Override
    public int getFactoryId() {
        return ClusterSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerialization.INVALIDATION_TASK;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(declaredLength);
        out.write(bytes);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        bytes = new byte[in.readInt()];
        in.readFully(bytes);
    }

    @Override
    public Boolean call() {
        OVERHEARD.add(bytes);
        return Boolean.TRUE;
    }
}
