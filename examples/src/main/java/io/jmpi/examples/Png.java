package io.jmpi.examples;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes the images of the examples (PNG through {@code javax.imageio}) and the colour map they share. */
public final class Png {
    private Png() {
    }

    /** A pixel colour as {@code 0xRRGGBB}. */
    @FunctionalInterface
    public interface Pixels {
        int rgb(int x, int y);
    }

    /**
     * Where an example writes its image: {@code file} inside the folder {@code out} (option {@code --out=DIR}, default
     * the current folder; made when missing), unless {@code file} is absolute; empty when {@code file} is (no image).
     */
    public static String in(String out, String file) {
        if (file == null || file.isEmpty()) return "";
        return java.nio.file.Path.of(out.isEmpty() ? "." : out).resolve(file).toString();
    }

    /**
     * Writes a {@code width x height} PNG to {@code path} (nothing when {@code path} is empty) and says so on standard
     * output.
     */
    public static void write(String path, int width, int height, Pixels pixels) {
        if (path == null || path.isEmpty()) return;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) img.setRGB(x, y, pixels.rgb(x, y));
        }
        try {
            File f = new File(path).getAbsoluteFile();
            if (f.getParentFile() != null) f.getParentFile().mkdirs();
            if (!ImageIO.write(img, "png", f)) throw new IOException("no PNG writer");
            System.out.println("wrote " + f + " (" + width + "x" + height + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** A "heat" colour map: 0 is black, then blue, red, yellow, and 1 is white; values are clamped to [0, 1]. */
    public static int heat(double t) {
        t = Math.max(0, Math.min(1, t));
        double r = Math.min(1, 3 * t), g = Math.max(0, Math.min(1, 3 * t - 1)), b = Math.max(0, Math.min(1, 3 * t - 2));
        double blue = t < 1.0 / 3 ? Math.sin(Math.PI * 3 * t) * 0.6 : b; // a touch of blue in the cold part
        return ((int) (255 * r) << 16) | ((int) (255 * g) << 8) | (int) (255 * blue);
    }
}
