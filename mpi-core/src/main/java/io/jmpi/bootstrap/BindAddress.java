package io.jmpi.bootstrap;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Chooses the local address a rank binds and advertises, from the {@link Config#BIND} setting: empty means the
 * address of the interface that reaches the launcher; an IP must be one of this machine's; a CIDR
 * ({@code 10.0.0.0/24}) picks the first local interface address inside it; an interface name ({@code eth1},
 * {@code ib0}) picks that interface's first address (IPv4 first). Only numeric addresses and interface names are
 * accepted, so choosing never waits on DNS.
 */
public final class BindAddress {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private BindAddress() {
    }

    /**
     * @param spec            the {@code bind} setting (may be empty)
     * @param towardLauncher  local address of the connection to the launcher, used when {@code spec} is empty
     * @throws MpiException ARG when the text is not an IP or CIDR, or no local interface matches it
     */
    public static InetAddress select(String spec, InetAddress towardLauncher) {
        String s = spec == null ? "" : spec.trim();
        if (s.isEmpty()) return towardLauncher;
        List<InetAddress> local = localAddresses();
        int slash = s.indexOf('/');
        if (slash < 0 && !looksNumeric(s)) return ofInterface(s);
        if (slash < 0) {
            InetAddress want = literal(s, s);
            if (local.contains(want)) return want;
            throw new MpiException(ErrorClass.ARG, "bootstrap: bind=" + s
                    + " is not an address of this machine; local addresses: " + describe(local));
        }
        InetAddress net = literal(s.substring(0, slash), s);
        int bits = net.getAddress().length * 8;
        int prefix;
        try {
            prefix = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
            throw new MpiException(ErrorClass.ARG, "bootstrap: bind=" + s + ": prefix length out of range [0, " + bits + "]");
        }
        for (InetAddress a : local) {
            if (inside(a, net, prefix)) return a;
        }
        throw new MpiException(ErrorClass.ARG, "bootstrap: bind=" + s
                + " matches no local interface address; local addresses: " + describe(local));
    }

    /** True when {@code a} lies in {@code net/prefix} (same address family only). */
    static boolean inside(InetAddress a, InetAddress net, int prefix) {
        byte[] x = a.getAddress();
        byte[] y = net.getAddress();
        if (x.length != y.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (x[i] != y[i]) return false;
        }
        int rem = prefix % 8;
        if (rem == 0) return true;
        int mask = (0xff << (8 - rem)) & 0xff;
        return (x[full] & mask) == (y[full] & mask);
    }

    /**
     * The local address this machine uses to reach {@code remote}: the source address the routing table picks, found
     * by connecting a UDP socket (which sends nothing). This is the address a peer on {@code remote}'s network can
     * reach us at, unlike {@code InetAddress.getLocalHost()}, which is often 127.0.1.1 or an unrelated interface.
     *
     * @throws MpiException IO when there is no route to {@code remote}
     */
    public static InetAddress toward(InetAddress remote) {
        if (remote.isLoopbackAddress()) return InetAddress.getLoopbackAddress();
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(remote, 9)); // the discard port; nothing is sent
            InetAddress local = probe.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                throw new MpiException(ErrorClass.IO, "bootstrap: no route from this machine to " + remote.getHostAddress());
            }
            return local;
        } catch (IOException | UncheckedIOException e) {
            throw new MpiException(ErrorClass.IO, "bootstrap: no route from this machine to " + remote.getHostAddress()
                    + ": " + e.getMessage(), e);
        }
    }

    /** True when the address belongs to an interface of this machine (and of this network namespace). */
    public static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) return true;
        return localAddresses().contains(a);
    }

    private static boolean looksNumeric(String text) {
        return IPV4.matcher(text).matches() || (text.indexOf(':') >= 0 && text.matches("[0-9a-fA-F:.%]+"))
                || text.matches("[0-9.]+");
    }

    private static InetAddress ofInterface(String name) {
        NetworkInterface ni;
        try {
            ni = name.matches("[A-Za-z0-9_.:@-]{1,32}") ? NetworkInterface.getByName(name) : null;
        } catch (SocketException e) {
            ni = null;
        }
        if (ni == null) {
            throw new MpiException(ErrorClass.ARG, "bootstrap: bind=" + name + " is not an IP address, CIDR or interface "
                    + "name (e.g. 10.0.0.5, 10.0.0.0/24 or eth0); interfaces here: " + interfaceNames());
        }
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        for (InetAddress a : Collections.list(ni.getInetAddresses())) (a instanceof Inet4Address ? v4 : v6).add(a);
        v4.addAll(v6);
        boolean up;
        try {
            up = ni.isUp();
        } catch (SocketException e) {
            up = false;
        }
        if (v4.isEmpty() || !up) {
            throw new MpiException(ErrorClass.ARG, "bootstrap: bind=" + name + ": interface " + name
                    + (up ? " has no address" : " is down"));
        }
        return v4.get(0);
    }

    private static String interfaceNames() {
        List<String> names = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) names.add(ni.getName());
        } catch (SocketException e) {
            return "(cannot list them: " + e.getMessage() + ")";
        }
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }

    private static InetAddress literal(String text, String whole) {
        boolean numeric = IPV4.matcher(text).matches() || (text.indexOf(':') >= 0 && text.matches("[0-9a-fA-F:.%]+"));
        if (!numeric) {
            throw new MpiException(ErrorClass.ARG, "bootstrap: bind=" + whole
                    + " is not an IP address or CIDR (e.g. 10.0.0.5 or 10.0.0.0/24)");
        }
        try {
            return InetAddress.getByName(text); // a literal: no name lookup happens
        } catch (IOException e) {
            throw new MpiException(ErrorClass.ARG, "bootstrap: bind=" + whole + " is not a valid IP address", e);
        }
    }

    /** Addresses of the interfaces that are up, IPv4 first (the usual choice on cluster networks). */
    static List<InetAddress> localAddresses() {
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp()) continue;
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    (a instanceof Inet4Address ? v4 : v6).add(a);
                }
            }
        } catch (SocketException e) {
            throw new MpiException(ErrorClass.IO, "bootstrap: cannot list network interfaces: " + e.getMessage(), e);
        }
        v4.addAll(v6);
        return v4;
    }

    private static String describe(List<InetAddress> addresses) {
        List<String> out = new ArrayList<>();
        for (InetAddress a : addresses) out.add(a.getHostAddress());
        return out.isEmpty() ? "(none)" : String.join(", ", out);
    }
}
