package org.obkm.cluster.internal;

import java.io.Serializable;
import java.util.concurrent.Callable;

import org.slf4j.LoggerFactory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;

/**
 * An invalidation sent to every member and run there. It carries only names and a tag; the member
 * verifies the tag before it touches a cache.
 */
final class InvalidationTask implements Callable<Boolean>, Serializable, HazelcastInstanceAware {

    private static final long serialVersionUID = 1L;
    static final String RECEIVER = "obkm.invalidation.receiver";

    /** The receiving end on each member. */
    interface Receiver {
        boolean receive(InvalidationTask task);
    }

    final String region;
    final String key;
    final long sentAtMillis;
    final String nonce;
    final byte[] tag;
    private transient HazelcastInstance hz;

    InvalidationTask(String region, String key, long sentAtMillis, String nonce, byte[] tag) {
        this.region = region;
        this.key = key;
        this.sentAtMillis = sentAtMillis;
        this.nonce = nonce;
        this.tag = tag;
    }

    /** The text the tag covers. */
    static String signedText(String region, String key, long sentAtMillis, String nonce) {
        return region + "\u0000" + (key == null ? "\u0001" : key) + "\u0000" + sentAtMillis + "\u0000" + nonce;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.hz = instance;
    }

    @Override
    public Boolean call() {
        Object r = hz == null ? null : hz.getUserContext().get(RECEIVER);
        if (r instanceof Receiver receiver) {
            return receiver.receive(this);
        }
        LoggerFactory.getLogger(InvalidationTask.class).warn("No invalidation receiver on this member yet");
        return false;
    }
}
