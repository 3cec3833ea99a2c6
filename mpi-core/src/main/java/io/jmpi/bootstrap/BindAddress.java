package io.jmpi.bootstrap;

import io.jmpi.Config;
import io.jmpi.ErrorClass;
import io.jmpi.MpiException;

import java.io.IOException;
import java.net.Inet4Address;
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
 * ({@code 10.0.0.0/24}) picks the first local interface address inside it. Only numeric addresses are accepted, so
 * choosing never waits on DNS.
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
