package io.jmpi.bootstrap;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;

/**
 * Adopts a file descriptor this process inherited (Slurm's {@code PMI_FD}: one end of a socketpair made by
 * slurmstepd) as a {@link FileDescriptor}, so plain {@code FileInputStream}/{@code FileOutputStream} can read and
 * write it. Java has no public API for this: a socket cannot be reopened through {@code /proc/self/fd/N} (ENXIO),
 * and child processes do not inherit it (the JDK closes descriptors above 2 in children).
 *
 * <p>Two ways, tried in order:
 * <ol>
 *   <li>set the private {@code fd} field by reflection, allowed when the JVM runs with
 *       {@code --add-opens java.base/java.io=ALL-UNNAMED} (recommended: silent on every JDK);</li>
 *   <li>else write the field through {@code sun.misc.Unsafe} (module jdk.unsupported, open to all code): works on
 *       JDK 17 to 25, but JDK 24 and later print a one-time warning about a deprecated Unsafe method.</li>
 * </ol>
 * This happens once per rank at start-up, on one field of a fresh object; nothing else of jmpi uses Unsafe.
 */
final class InheritedFd {
    private InheritedFd() {
    }

    /**
     * @param fd   the descriptor number
     * @param name how errors name it ({@code PMI_FD=5})
     * @throws MpiException STATE when the JVM allows neither way
     */
    static FileDescriptor adopt(int fd, String name) {
        FileDescriptor d = new FileDescriptor();
        Field field;
        try {
            field = FileDescriptor.class.getDeclaredField("fd");
        } catch (NoSuchFieldException e) {
            throw cannot(name, e);
        }
        try {
            field.setAccessible(true);
            field.setInt(d, fd);
            return d;
        } catch (InaccessibleObjectException | IllegalAccessException | SecurityException e) {
            // java.io is not opened to us: try Unsafe
        }
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            Object unsafe = theUnsafe.get(null);
            Method offset = unsafeClass.getMethod("objectFieldOffset", Field.class);
            Method putInt = unsafeClass.getMethod("putInt", Object.class, long.class, int.class);
            putInt.invoke(unsafe, d, (long) offset.invoke(unsafe, field), fd);
            return d;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw cannot(name, e);
        }
    }

    private static MpiException cannot(String name, Throwable cause) {
        return new MpiException(ErrorClass.STATE, "bootstrap: cannot use the inherited descriptor " + name
                + " from Java: run java with --add-opens java.base/java.io=ALL-UNNAMED (" + cause + ")", cause);
    }
}
