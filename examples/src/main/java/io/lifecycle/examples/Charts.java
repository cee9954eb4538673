package io.lifecycle.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Line charts of a measured series: for a terminal, and as a self-contained SVG document. */
final class Charts {
  private Charts() {}

  /** A point of a series. */
  record Point(double x, double y) {}

  /**
   * One line of a chart.
   *
   * @param name the legend's label
   * @param color an SVG color
   * @param dashed whether the line is dashed
   * @param points the points, by ascending x
   */
  record Series(String name, String color, boolean dashed, List<Point> points) {
    Series {
      points = List.copyOf(points);
    }

    double maxX() {
      return points.stream().mapToDouble(Point::x).max().orElse(0);
    }

    double maxY() {
      return points.stream().mapToDouble(Point::y).max().orElse(0);
    }

    /** Returns y at {@code x}, interpolated linearly between the nearest points. */
    double yAt(double x) {
      if (points.isEmpty()) {
        return 0;
      }
      Point previous = points.get(0);
      if (x <= previous.x()) {
        return previous.y();
      }
      for (Point p : points) {
        if (x <= p.x()) {
          double f = (x - previous.x()) / (p.x() - previous.x());
          return previous.y() + f * (p.y() - previous.y());
        }
        previous = p;
      }
      return previous.y();
    }
  }

  /**
   * Draws {@code series} with {@code *} in a {@code width} by {@code height} grid of characters,
   * with the y axis from zero and labelled in the y unit, and the x axis labelled at both ends.
   */
  static String terminal(Series series, String yUnit, int width, int height) {
    double top = niceCeiling(series.maxY());
    double maxX = series.maxX();
    char[][] grid = new char[height][width];
    for (char[] row : grid) {
      Arrays.fill(row, ' ');
    }
    for (int col = 0; col < width; col++) {
      double v = series.yAt(maxX * col / (width - 1));
      int row = (int) Math.round((height - 1) * (1 - v / top));
      grid[Math.clamp(row, 0, height - 1)][col] = '*';
    }
    String topLabel = format(top) + " " + yUnit;
    String zeroLabel = "0 " + yUnit;
    int labelWidth = Math.max(topLabel.length(), zeroLabel.length());
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < height; r++) {
      String label = r == 0 ? topLabel : r == height - 1 ? zeroLabel : "";
      sb.append(pad(label, labelWidth)).append(" |").append(grid[r]).append('\n');
    }
    sb.append(" ".repeat(labelWidth)).append(" +").append("-".repeat(width)).append('\n');
    String right = format(maxX) + " calls";
    sb.append(" ".repeat(labelWidth))
        .append("  0")
        .append(" ".repeat(Math.max(1, width - 1 - right.length())))
        .append(right);
    return sb.toString();
  }

  /** Returns an SVG document drawing every series against common axes, with a legend. */
  static String svg(String title, String xLabel, String yLabel, List<Series> series) {
    int w = 760;
    int h = 420;
    int left = 80;
    int right = 20;
    int top = 50;
    int bottom = 60;
    int plotW = w - left - right;
    int plotH = h - top - bottom;
    double maxX = niceCeiling(series.stream().mapToDouble(Series::maxX).max().orElse(1));
    double maxY = niceCeiling(series.stream().mapToDouble(Series::maxY).max().orElse(1));

    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(h)
        .append("\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(h)
        .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(sb, w / 2.0, 28, "middle", 16, title);
    for (int i = 0; i <= 5; i++) {
      double gy = top + plotH * (1 - i / 5.0);
      double gx = left + plotW * (i / 5.0);
      sb.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>\n",
              left,
              gy,
              left + plotW,
              gy));
      text(sb, left - 8, gy + 4, "end", 12, format(maxY * i / 5));
      text(sb, gx, top + plotH + 18, "middle", 12, format(maxX * i / 5));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "<polyline points=\"%d,%d %d,%d %d,%d\" fill=\"none\" stroke=\"#333\"/>\n",
            left,
            top,
            left,
            top + plotH,
            left + plotW,
            top + plotH));
    text(sb, left + plotW / 2.0, h - 16, "middle", 13, xLabel);
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\""
                + " transform=\"rotate(-90 18 %.1f)\">%s</text>\n",
            top + plotH / 2.0,
            top + plotH / 2.0,
            escape(yLabel)));
    int legendY = top + 8;
    for (Series s : series) {
      List<String> points = new ArrayList<>();
      for (Point p : s.points()) {
        points.add(
            String.format(
                Locale.ROOT,
                "%.1f,%.1f",
                left + plotW * p.x() / maxX,
                top + plotH * (1 - p.y() / maxY)));
      }
      String dash = s.dashed() ? " stroke-dasharray=\"8 5\"" : "";
      sb.append("<polyline fill=\"none\" stroke-width=\"2.5\"")
          .append(dash)
          .append(" stroke=\"")
          .append(escape(s.color()))
          .append("\" points=\"")
          .append(String.join(" ", points))
          .append("\"/>\n");
      sb.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                  + " stroke-width=\"2.5\"%s/>\n",
              left + 16,
              legendY,
              left + 40,
              legendY,
              escape(s.color()),
              dash));
      text(sb, left + 46, legendY + 4, "start", 12, s.name());
      legendY += 18;
    }
    return sb.append("</svg>\n").toString();
  }

  private static void text(
      StringBuilder sb, double x, double y, String anchor, int size, String s) {
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>\n",
            x,
            y,
            anchor,
            size,
            escape(s)));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** Returns the smallest of 1, 2, 2.5 or 5 times a power of ten that is at least {@code v}. */
  static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * power >= v) {
        return m * power;
      }
    }
    return 10 * power;
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? String.format(Locale.ROOT, "%,d", (long) v)
        : String.format(Locale.ROOT, "%,.1f", v);
  }

  private static String pad(String s, int width) {
    return " ".repeat(Math.max(0, width - s.length())) + s;
  }
}
