package rmaplab.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Seeded mutations of a workload file: deleted, duplicated and swapped
 * lines, flipped characters, numbers replaced by extremes (0, -1, 2^63,
 * 0xffffffffffffffff, and the edges of the user address space), long
 * lines, unknown keywords, NUL and non-UTF-8 bytes, CRLF, truncated and
 * damaged gzip. A mutant applies one to three of them.
 */
final class Mutator {
    private Mutator() {}

    /** A mutated file: its bytes, whether it is to be named .gz, and what was done to it. */
    record Mutant(byte[] bytes, boolean gz, String how) {}

    private static final Pattern NUMBER = Pattern.compile("(?<=[ \\t@])(0x[0-9a-fA-F]+|[0-9]+)(?=[ \\t\\r]|$)");
    private static final String[] EXTREMES = {"0", "-1", "9223372036854775808", "0xffffffffffffffff", "0x7fffffffffffffff",
            "0xfffffffffff", "0xffffffffffe", "0x7ffffffff", "0x100000000", "4294967296", "00000000000000000000000001"};
    private static final String[] WORDS = {"mmapp", "fly", "MMAP", "rmaplab-workload", "spawn", "exit", "P", "#", "\t", "0x",
            "file=", "shared-file=x@", "noreserve,stack", "rw-", "x".repeat(100)};

    /** One mutant of a seed file's text, gzip-compressed (and perhaps damaged as such) when {@code gz}. */
    static Mutant mutate(String text, boolean gz, SplittableRandom rnd) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        StringBuilder how = new StringBuilder();
        boolean junk = rnd.nextInt(4) == 0;
        int n = (junk ? 0 : 1) + rnd.nextInt(3);
        for (int k = 0; k < n; k++) {
            int op = rnd.nextInt(9);
            int i = rnd.nextInt(lines.size());
            switch (op) {
                case 0 -> {
                    lines.remove(i);
                    if (lines.isEmpty()) lines.add("");
                    how.append("delete line ").append(i + 1);
                }
                case 1 -> {
                    lines.add(i, lines.get(i));
                    how.append("duplicate line ").append(i + 1);
                }
                case 2 -> {
                    int j = rnd.nextInt(lines.size());
                    String a = lines.get(i);
                    lines.set(i, lines.get(j));
                    lines.set(j, a);
                    how.append("swap lines ").append(i + 1).append(", ").append(j + 1);
                }
                case 3 -> {
                    String l = lines.get(i);
                    if (l.isEmpty()) continue;
                    int at = rnd.nextInt(l.length());
                    char c = (char) (0x20 + rnd.nextInt(0x5f));
                    lines.set(i, l.substring(0, at) + c + l.substring(at + 1));
                    how.append("flip line ").append(i + 1).append(" column ").append(at + 1);
                }
                case 4, 5 -> {
                    String l = lines.get(i);
                    Matcher m = NUMBER.matcher(l);
                    List<int[]> spots = new ArrayList<>();
                    while (m.find()) spots.add(new int[] {m.start(), m.end()});
                    if (spots.isEmpty()) continue;
                    int[] s = spots.get(rnd.nextInt(spots.size()));
                    String v = EXTREMES[rnd.nextInt(EXTREMES.length)];
                    lines.set(i, l.substring(0, s[0]) + v + l.substring(s[1]));
                    how.append("number on line ").append(i + 1).append(" -> ").append(v);
                }
                case 6 -> {
                    int len = rnd.nextInt(4) == 0 ? 1 << 20 : 1 + rnd.nextInt(40_000);
                    String filler = rnd.nextBoolean() ? "a" : "0";
                    lines.set(i, lines.get(i) + " " + filler.repeat(len));
                    how.append("long line ").append(i + 1).append(" (+").append(len).append(')');
                }
                case 7 -> {
                    String[] t = lines.get(i).split(" ", -1);
                    if (t.length < 2) continue;
                    t[1 + rnd.nextInt(t.length - 1)] = WORDS[rnd.nextInt(WORDS.length)];
                    lines.set(i, String.join(" ", t));
                    how.append("word on line ").append(i + 1);
                }
                default -> {
                    lines.set(i, lines.get(i) + "\r");
                    how.append("CR on line ").append(i + 1);
                }
            }
            how.append("; ");
        }
        byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        for (int k = junk ? 1 + rnd.nextInt(2) : 0; k > 0; k--) { // bytes that are not text
            byte[][] kinds = {{0}, {(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, {(byte) 0xfe, (byte) 0xff}, {'\r'}};
            byte[] j = kinds[rnd.nextInt(kinds.length)];
            int at = bytes.length == 0 ? 0 : rnd.nextInt(bytes.length);
            bytes = splice(bytes, at, j);
            how.append("bytes ").append(hex(j)).append(" at byte ").append(at).append("; ");
        }
        if (gz) {
            bytes = gzip(bytes);
            int d = rnd.nextInt(6);
            if (d == 0) {
                int cut = rnd.nextInt(bytes.length);
                bytes = java.util.Arrays.copyOf(bytes, cut);
                how.append("gzip cut to ").append(cut).append(" bytes; ");
            } else if (d == 1) {
                int at = rnd.nextInt(bytes.length);
                bytes[at] ^= (byte) (1 << rnd.nextInt(8));
                how.append("gzip bit flipped at byte ").append(at).append("; ");
            }
        }
        return new Mutant(bytes, gz, how.toString());
    }

    static byte[] splice(byte[] b, int at, byte[] in) {
        byte[] r = new byte[b.length + in.length];
        System.arraycopy(b, 0, r, 0, at);
        System.arraycopy(in, 0, r, at, in.length);
        System.arraycopy(b, at, r, at + in.length, b.length - at);
        return r;
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x", x & 0xff));
        return s.toString();
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (OutputStream g = new GZIPOutputStream(o)) {
            g.write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return o.toByteArray();
    }
}
