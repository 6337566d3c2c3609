public class Alloc {
    public static void main(String[] a) {
        byte[][] keep = new byte[150][];
        long sum = 0;
        for (int i = 0; i < keep.length; i++) {
            keep[i] = new byte[1 << 20];
            for (int j = 0; j < keep[i].length; j += 4096) keep[i][j] = (byte) i;
        }
        for (byte[] b : keep) sum += b[0];
        System.out.println("allocated 150 MiB, " + sum);
    }
}
