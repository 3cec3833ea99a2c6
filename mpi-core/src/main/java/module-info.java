/**
 * jmpi: MPI-style message passing for Java (the library) and {@code jmpirun} (the launcher, {@code io.jmpi.launch}).
 *
 * <p>The same jar works on the class path (as before; {@code META-INF/services} still lists the transports) and on
 * the module path:
 * <pre>
 *   java --module-path mpi-core.jar:picocli.jar -m io.jmpi/io.jmpi.launch.JmpiRun --help
 *   java --module-path mpi-core.jar:picocli.jar:app.jar -m app/app.Main        (app's module-info: requires io.jmpi)
 * </pre>
 *
 * <p><b>Exports.</b> Qualified exports ({@code exports P to M}) reach named modules only. Every consumer of the
 * SPI packages today runs on the class path, i.e. in the unnamed module: mpi-mpj is started by MPJ Express's
 * runtime with a class path, the JMH benchmarks (bench/) run from a shaded jar, and the tests of examples/ and
 * mpi-mpj run on surefire's class path. Those packages are therefore exported plainly, each with the reason; they
 * are not API and may change between versions.
 *
 * <p><b>picocli.</b> A plain (not {@code static}) {@code requires}: the launcher lives in this module, and with
 * {@code requires static} {@code java -m io.jmpi/io.jmpi.launch.JmpiRun} would fail with NoClassDefFoundError
 * unless every user also passed {@code --add-modules info.picocli}. The Maven dependency is not optional either,
 * so picocli (one small jar, explicit module {@code info.picocli} via META-INF/versions/9) is always at hand. The
 * library packages never touch it (LayersTest: nothing imports io.jmpi.launch).
 */
module io.jmpi {
    requires info.picocli;
    // sun.misc.Unsafe (bootstrap.InheritedFd's fallback)
    requires jdk.unsupported;
    requires static java.management; // -Djmpi.initTimings=true reads the JVM's start time (InitTimings)
    requires static jdk.management; // and the process CPU time (com.sun.management.OperatingSystemMXBean)
    // jdk.jfr.Event: MPI operations as Flight Recorder events (io.jmpi.trace.MpiOperationEvent), when a recording runs
    requires jdk.jfr;

    // ---- API: what user programs see
    exports io.jmpi;                 // Mpi, Comm, Request, Status, Op, Group, CartComm, ObjectCodec
    exports io.jmpi.base;            // MpiException, ErrorClass, Config
    exports io.jmpi.bootstrap;       // Mpi.init(Bootstrap, Config): programs and benchmarks bring their own bootstrap
    exports io.jmpi.runtime;         // ThreadJob: Mpi.initThread(ThreadJob, int), ranks as threads of one JVM

    // ---- SPI: for mpi-mpj (io.jmpi.mpj, unnamed module on MPJ Express's class path) and bench/ (class path)
    exports io.jmpi.transport;       // BackendProvider, Transport, Link, FrameHandler, TransportContext (mpi-mpj)
    exports io.jmpi.buffer;          // Buf (mpi-mpj's transport), ArrayBuf (bench)
    exports io.jmpi.wire;            // FrameDescriptor, FrameHeader, HandshakeDescriptor (mpi-mpj, bench codecs)
    exports io.jmpi.engine;          // Engine.progress() from mpi-mpj's transport
    exports io.jmpi.launch;          // MpjProtocol (mpi-mpj's status lines); JmpiRun for in-process tests

    // Not exported: io.jmpi.coll (algorithms behind Comm), io.jmpi.io (MPI-IO logic behind MpiFile),
    // io.jmpi.transport.{tcp,shm,local} (found as services).

    // picocli reads and writes jmpirun's annotated (package-private) fields and instantiates its providers.
    opens io.jmpi.launch to info.picocli;

    uses io.jmpi.transport.TransportProvider;
    uses io.jmpi.transport.BackendProvider;
    provides io.jmpi.transport.TransportProvider with
            io.jmpi.transport.tcp.TcpTransportProvider,
            io.jmpi.transport.shm.ShmTransportProvider;
}
