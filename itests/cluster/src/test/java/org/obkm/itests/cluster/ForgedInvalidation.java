package org.obkm.itests.cluster;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * An invalidation as a foreign member can make one: the node's wire ids (factory "OBKM", class 1)
 * and a length-prefixed byte array of its choosing, with any declared length. Run on the foreign
 * member (a member is asked to confirm every invalidation), it keeps the bytes it overheard.
 */
final class ForgedInvalidation implements IdentifiedDataSerializable, Callable<Boolean> {

    static final int FACTORY_ID = 0x4f424b4d;
    static final int CLASS_ID = 1;
    static final DataSerializableFactory FACTORY = id -> new ForgedInvalidation();
    static final Queue<byte[]> OVERHEARD = new ConcurrentLinkedQueue<>();

    private int declaredLength;
    private byte[] bytes;

    ForgedInvalidation() {
    }

    ForgedInvalidation(int declaredLength, byte[] bytes) {
        this.declaredLength = declaredLength;
        this.bytes = bytes;
    }

    @Override
    public int getFactoryId() {
        return FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return CLASS_ID;
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
