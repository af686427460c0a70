package org.obkm.metrics.internal;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What /metrics adds to one token request, outside the node: {@code MetricsFilter} records the request
 * (latency histogram, counter by status) and the token endpoint counts the token by grant type
 * ({@code NodeMetrics.issued}). In the package of the metrics bundle, whose recording types are
 * package-private. Two threads, as the node's two cores serve requests.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar MetricsRecordingBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class MetricsRecordingBenchmark {

    private NodeMetrics metrics;
    private NodeMetrics.EndpointMeters token;

    @Setup
    public void setUp() {
        metrics = new NodeMetrics();
        token = metrics.endpoint("token");
    }

    /** One successful token request as the filter and the token endpoint record it. */
    @Benchmark
    public void tokenRequest() {
        long begin = System.nanoTime();
        metrics.issued("client_credentials");
        token.record(200, null, System.nanoTime() - begin);
    }
}
