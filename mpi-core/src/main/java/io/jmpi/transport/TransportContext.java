package io.jmpi.transport;

import io.jmpi.base.Config;

import java.net.InetAddress;

/**
 * What a transport needs to know about its rank and job.
 *
 * @param rank       this world rank
 * @param size       world size
 * @param jobId      the job id, checked in every handshake
 * @param secret     the job secret, proven in every handshake
 * @param bindAddress local address to listen on and advertise
 * @param config     settings
 */
public record TransportContext(int rank, int size, long jobId, byte[] secret, InetAddress bindAddress, Config config) {
}
