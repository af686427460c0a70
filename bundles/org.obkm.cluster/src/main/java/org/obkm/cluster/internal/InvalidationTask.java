package org.obkm.cluster.internal;

import java.io.IOException;
import java.util.concurrent.Callable;

import org.slf4j.LoggerFactory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * An invalidation sent to every member and run there. On the wire it is our factory and class id and
 * one length-prefixed byte array, the {@link InvalidationMessage}; the receiver checks the array's tag
 * before it parses it. No class name travels and nothing is Java-deserialized.
 */
final class InvalidationTask implements Callable<Boolean>, IdentifiedDataSerializable, HazelcastInstanceAware {

    static final String RECEIVER = "obkm.invalidation.receiver";

    /** The receiving end on each member. */
    interface Receiver {
        /** Whether the message was authentic and dispatched. */
        boolean receive(byte[] sealedMessage);
    }

    private byte[] message;
    private transient HazelcastInstance hz;

    /** For {@link ClusterSerialization} only. */
    InvalidationTask() {
    }

    InvalidationTask(byte[] message) {
        this.message = message;
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
        out.writeInt(message.length);
        out.write(message);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int length = in.readInt();
        // Bounded before allocating: a length from the wire must not size an array unchecked.
        if (length < 0 || length > InvalidationMessage.MAX_LENGTH) {
            message = null;
            return;
        }
        message = new byte[length];
        in.readFully(message);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.hz = instance;
    }

    @Override
    public Boolean call() {
        Object r = hz == null ? null : hz.getUserContext().get(RECEIVER);
        if (r instanceof Receiver receiver) {
            return receiver.receive(message);
        }
        LoggerFactory.getLogger(InvalidationTask.class).warn("No invalidation receiver on this member yet");
        return false;
    }
}
