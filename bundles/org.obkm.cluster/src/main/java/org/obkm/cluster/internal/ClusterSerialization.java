package org.obkm.cluster.internal;

import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * What this member agrees to decode from the cluster port. Our only own type is
 * {@link InvalidationTask}, made by this factory from its ids (no class name on the wire, no
 * reflection); shared values are plain byte arrays and strings, which Hazelcast reads with its
 * built-in serializers. Java serialization is filtered to Hazelcast's own exception replies, so a
 * member that sends a serialized object of any other class gets it refused before its class is even
 * loaded (DESIGN rule 8, second wall).
 */
final class ClusterSerialization implements DataSerializableFactory {

    /** "OBKM"; any id unused by Hazelcast's own factories (which are negative) would do. */
    static final int FACTORY_ID = 0x4f424b4d;
    static final int INVALIDATION_TASK = 1;

    /**
     * Classes Hazelcast itself Java-serializes between members: exceptions sent back as the error of an
     * operation, with their stack traces and suppressed lists. Nothing of ours.
     */
    private static final String[] ALLOWED_CLASSES = {
        "java.lang.Throwable", "java.lang.Exception", "java.lang.RuntimeException", "java.lang.Error",
        "java.lang.IllegalStateException", "java.lang.IllegalArgumentException",
        "java.lang.NullPointerException", "java.lang.SecurityException",
        "java.lang.UnsupportedOperationException", "java.lang.StackTraceElement",
        "[Ljava.lang.StackTraceElement;", "[Ljava.lang.Throwable;",
        "java.util.concurrent.TimeoutException", "java.util.concurrent.ExecutionException",
        "java.util.concurrent.CancellationException", "java.util.concurrent.RejectedExecutionException",
        "java.util.ArrayList", "java.util.Collections$EmptyList", "java.util.Collections$UnmodifiableList",
        "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableCollection",
    };
    private static final String[] ALLOWED_PREFIXES = {"com.hazelcast."};
    /** Not a Java class name, so it allows nothing. */
    private static final String NO_CLASS = "-";

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return typeId == INVALIDATION_TASK ? new InvalidationTask() : null;
    }

    /** Registers the factory and the filter on a member's serialization configuration. */
    static void configure(SerializationConfig config) {
        config.addDataSerializableFactory(FACTORY_ID, new ClusterSerialization());
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(true);
        filter.getWhitelist().addClasses(ALLOWED_CLASSES).addPrefixes(ALLOWED_PREFIXES);
        config.setJavaSerializationFilterConfig(filter);
        // Hazelcast's zero-config Compact serializer would otherwise load any class named in a
        // Compact schema and call its no-argument constructor. An allow-list naming no class that
        // can exist refuses them all; our values and messages are never Compact.
        JavaSerializationFilterConfig noReflectiveCompact = new JavaSerializationFilterConfig().setDefaultsDisabled(true);
        noReflectiveCompact.getWhitelist().addClasses(NO_CLASS);
        config.getCompactSerializationConfig().setZeroConfigFilter(noReflectiveCompact);
    }
}
