package dev.webhookfilter.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The configuration of record, inherited by every benchmark: average time per operation in
 * nanoseconds, 2 forks, 5 warm-up and 8 measured iterations of 1 s each, a fixed 2 GiB heap so
 * that the 1 MiB cases do not also measure heap resizing, touched at start-up
 * ({@code -XX:+AlwaysPreTouch}) so that no iteration measures the kernel zeroing the heap's pages on
 * first use (a fresh JVM's cost, paid in proportion to what a benchmark allocates, which had made
 * the first iterations of the allocating benchmarks slow), and the four body sizes. Command-line
 * options override it for quick runs ({@code -f 1 -wi 3 -i 5 -p bodyBytes=1024}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@State(Scope.Thread) // JMH wants @Param in a @State class; each benchmark declares its own scope.
public abstract class BenchmarkDefaults {

    /** The body size in bytes: empty, 1 KiB, 64 KiB, 1 MiB (the filter's default limit). */
    @Param({"0", "1024", "65536", "1048576"})
    public int bodyBytes;
}
