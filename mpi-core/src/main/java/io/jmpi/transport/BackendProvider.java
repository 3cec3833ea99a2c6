package io.jmpi.transport;

import io.jmpi.base.Config;
import io.jmpi.bootstrap.Bootstrap;

/**
 * A foreign runtime that jmpi runs on top of (e.g. MPJ Express): it supplies the rank's identity and one transport
 * that carries jmpi's frames between all ranks, so the engine, communicators and collectives work unchanged.
 * Implementations are found with {@link java.util.ServiceLoader} and chosen by the system property
 * {@code jmpi.backend} (or {@code JMPI_BACKEND}); the runtime must have been initialised by its own entry point first.
 */
public interface BackendProvider {
    /** Name selected by {@code jmpi.backend}, e.g. {@code mpj}. */
    String name();

    /** This rank's identity under the runtime. */
    Bootstrap bootstrap(Config config);

    /** The transport to every other rank. */
    Transport transport();
}
