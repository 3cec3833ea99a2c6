package io.jmpi.launch;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a class file refers to, read from its constant pool alone: the classes it names and the fields and methods it
 * uses on them. Enough for the launcher to tell which {@code mpi} API a program was compiled against without loading
 * the program (loading would run static initialisers and need the API on the class path, which is what is being
 * decided). The constant pool layout is JVMS 4.4; every tag up to Java 25 is known, an unknown one ends the reading.
 */
final class ClassRefs {
    /** A field or method used on {@code owner} (internal name, {@code mpi/Intracomm}). */
    record Member(String owner, String name, String descriptor, boolean method) {
    }

    private final Set<String> classes;
    private final List<Member> members;

    private ClassRefs(Set<String> classes, List<Member> members) {
        this.classes = classes;
        this.members = members;
    }

    /** Internal names of every class the constant pool names ({@code java/lang/String}, {@code mpi/MPI}). */
    Set<String> classes() {
        return classes;
    }

    /** Every field and method reference, in constant pool order. */
    List<Member> members() {
        return members;
    }

    /**
     * Reads a class file's constant pool.
     *
     * @throws IOException when the bytes are not a class file (bad magic, truncated, an unknown constant tag)
     */
    static ClassRefs read(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file (bad magic)");
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        int[][] memberRef = new int[count][]; // {tag, class index, name-and-type index}
        int[][] nameAndType = new int[count][];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt(); // Integer, Float
                case 5, 6 -> { // Long, Double take two slots
                    in.readLong();
                    i++;
                }
                case 7 -> classNameIndex[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort(); // String, MethodType, Module, Package
                case 9, 10, 11 -> memberRef[i] = new int[] {tag, in.readUnsignedShort(), in.readUnsignedShort()};
                case 12 -> nameAndType[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> { // MethodHandle: kind, reference index
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 17, 18 -> in.readInt(); // Dynamic, InvokeDynamic: bootstrap index, name-and-type index
                default -> throw new IOException("unknown constant pool tag " + tag + " at index " + i);
            }
        }
        Set<String> classes = new LinkedHashSet<>();
        for (int i = 1; i < count; i++) {
            if (classNameIndex[i] != 0) classes.add(utf8(utf8, classNameIndex[i]));
        }
        List<Member> members = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int[] ref = memberRef[i];
            if (ref == null) continue;
            int[] nt = nameAndType[ref[2]];
            if (nt == null || classNameIndex[ref[1]] == 0) throw new IOException("bad member reference at index " + i);
            members.add(new Member(utf8(utf8, classNameIndex[ref[1]]), utf8(utf8, nt[0]), utf8(utf8, nt[1]), ref[0] != 9));
        }
        return new ClassRefs(classes, members);
    }

    private static String utf8(String[] pool, int index) throws IOException {
        if (index <= 0 || index >= pool.length || pool[index] == null) {
            throw new IOException("constant pool index " + index + " is not a UTF-8 entry");
        }
        return pool[index];
    }
}
