package io.traceline.platform.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The human-readable rendering of records regulators read (P11-6): certificates, training files, reports. Every page
 * carries the title, the tenant, when it was generated (with zone) and "Page n of m"; signatures print their
 * manifestation (11.50: printed name, date and time with zone, meaning) and what they are bound to. Text is set in an
 * embedded DejaVu Sans, so names in Latin, Greek and Cyrillic scripts print as written; a character the font lacks
 * prints as "?" rather than failing the rendering. Pages are buffered in a temporary file, not the heap, so a long
 * report renders in bounded memory.
 *
 * <p>Blocking (PDFBox): call it from a worker thread ({@code vertx.executeBlocking}), never an event loop.
 */
public final class RecordPdf implements AutoCloseable {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");
  private static final float MARGIN = 50;
  private static final float HEADER_SIZE = 8;
  private static final float TEXT_SIZE = 10;
  private static final float HEADING_SIZE = 13;
  private static final float TITLE_SIZE = 18;
  private static final float LEADING = 1.35f;
  private static final float CELL_PADDING = 3;

  private final PDDocument document;
  private final PDType0Font regular;
  private final PDType0Font bold;
  private final String title;
  private final String tenant;
  private final String generated;
  private final PDRectangle size = PDRectangle.A4;
  private PDPage page;
  private PDPageContentStream content;
  private float y;

  private RecordPdf(String title, String tenant, Instant generatedAt, ZoneId zone) {
    this.title = title;
    this.tenant = tenant;
    this.generated = STAMP.format(generatedAt.atZone(zone));
    try {
      document = new PDDocument(IOUtils.createTempFileOnlyStreamCache());
      regular = font("/fonts/DejaVuSans.ttf");
      bold = font("/fonts/DejaVuSans-Bold.ttf");
      PDDocumentInformation info = document.getDocumentInformation();
      info.setTitle(title);
      info.setAuthor(tenant);
      info.setCreator("Traceline");
      newPage();
      write(bold, TITLE_SIZE, title);
      y -= TEXT_SIZE * 0.5f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new rendering titled {@code title} for {@code tenant}, stamped as generated at {@code generatedAt} in {@code zone}. */
  public static RecordPdf start(String title, String tenant, Instant generatedAt, ZoneId zone) {
    return new RecordPdf(title, tenant, generatedAt, zone);
  }

  private PDType0Font font(String resource) throws IOException {
    try (InputStream in = RecordPdf.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("Font " + resource + " is missing from the build");
      }
      return PDType0Font.load(document, in, true);
    }
  }

  public RecordPdf heading(String text) {
    ensureRoom(HEADING_SIZE * LEADING * 2);
    y -= HEADING_SIZE * 0.6f;
    write(bold, HEADING_SIZE, text);
    return this;
  }

  public RecordPdf paragraph(String text) {
    for (String line : wrap(regular, TEXT_SIZE, text, width())) {
      write(regular, TEXT_SIZE, line);
    }
    y -= TEXT_SIZE * 0.4f;
    return this;
  }

  /** Label / value pairs in two columns; a null value prints as "—". */
  public RecordPdf fields(List<String[]> pairs) {
    float labelWidth = width() * 0.3f;
    for (String[] pair : pairs) {
      List<String> values = wrap(regular, TEXT_SIZE, pair[1] == null ? "—" : pair[1], width() - labelWidth);
      ensureRoom(values.size() * TEXT_SIZE * LEADING);
      float top = y;
      text(bold, TEXT_SIZE, MARGIN, top - TEXT_SIZE, pair[0]);
      for (String value : values) {
        text(regular, TEXT_SIZE, MARGIN + labelWidth, y - TEXT_SIZE, value);
        y -= TEXT_SIZE * LEADING;
      }
    }
    y -= TEXT_SIZE * 0.4f;
    return this;
  }

  /**
   * A table with columns of the given relative widths; cells wrap, and the header row repeats on every page the
   * table continues on.
   */
  public RecordPdf table(float[] widths, List<String> header, Iterable<List<String>> rows) {
    float total = 0;
    for (float w : widths) {
      total += w;
    }
    float[] columns = new float[widths.length];
    for (int i = 0; i < widths.length; i++) {
      columns[i] = width() * widths[i] / total;
    }
    row(columns, header, bold, true);
    for (List<String> row : rows) {
      if (row(columns, row, regular, false)) {
        row(columns, header, bold, true);
        row(columns, row, regular, false);
      }
    }
    y -= TEXT_SIZE * 0.6f;
    return this;
  }

  /** Draws one row; true (and nothing drawn) when it does not fit and a new page was started for it. */
  private boolean row(float[] columns, List<String> cells, PDType0Font font, boolean header) {
    float size = TEXT_SIZE - 1;
    List<List<String>> lines = new ArrayList<>();
    int height = 1;
    for (int i = 0; i < columns.length; i++) {
      String cell = i < cells.size() && cells.get(i) != null ? cells.get(i) : "";
      List<String> wrapped = wrap(font, size, cell, columns[i] - 2 * CELL_PADDING);
      lines.add(wrapped);
      height = Math.max(height, wrapped.size());
    }
    float rowHeight = height * size * LEADING + 2 * CELL_PADDING;
    if (y - rowHeight < MARGIN + HEADER_SIZE * 3) {
      newPage();
      return !header;
    }
    try {
      float x = MARGIN;
      content.setLineWidth(0.4f);
      for (float column : columns) {
        content.addRect(x, y - rowHeight, column, rowHeight);
        x += column;
      }
      content.stroke();
      x = MARGIN;
      for (int i = 0; i < columns.length; i++) {
        float lineY = y - CELL_PADDING - size;
        for (String line : lines.get(i)) {
          text(font, size, x + CELL_PADDING, lineY, line);
          lineY -= size * LEADING;
        }
        x += columns[i];
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    y -= rowHeight;
    return false;
  }

  /**
   * A signature's manifestation (11.50) and binding (11.70), from its JSON (signatures' {@code toJson}): who signed,
   * when (with zone), the meaning, and the record version and hash it is bound to.
   */
  public RecordPdf signature(JsonObject signature) {
    JsonObject record = signature.getJsonObject("record", new JsonObject());
    return fields(List.of(
        new String[] {"Signature", signature.getString("manifestation")},
        new String[] {"Signed record", record.getString("type") + " " + record.getString("id") + ", version "
            + record.getValue("version")},
        new String[] {"Record hash", record.getString("hash")},
        new String[] {"Signature id", signature.getString("id")}));
  }

  /** Stamps header and footer on every page and returns the PDF. */
  public byte[] finish() {
    try {
      closeContent();
      int pages = document.getNumberOfPages();
      for (int i = 0; i < pages; i++) {
        PDPage each = document.getPage(i);
        try (PDPageContentStream stamp = new PDPageContentStream(document, each, PDPageContentStream.AppendMode.APPEND,
            true, true)) {
          float top = size.getHeight() - MARGIN / 2;
          stampText(stamp, regular, MARGIN, top, fit(regular, HEADER_SIZE, title + " · " + tenant, width()));
          String footer = "Generated " + generated + " · Page " + (i + 1) + " of " + pages;
          stampText(stamp, regular, MARGIN, MARGIN / 2, footer);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      closeContent();
      document.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private float width() {
    return size.getWidth() - 2 * MARGIN;
  }

  private void newPage() {
    try {
      closeContent();
      page = new PDPage(size);
      document.addPage(page);
      content = new PDPageContentStream(document, page);
      y = size.getHeight() - MARGIN - HEADER_SIZE;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void closeContent() throws IOException {
    if (content != null) {
      content.close();
      content = null;
    }
  }

  private void ensureRoom(float height) {
    if (y - height < MARGIN + HEADER_SIZE * 3) {
      newPage();
    }
  }

  private void write(PDType0Font font, float fontSize, String line) {
    ensureRoom(fontSize * LEADING);
    text(font, fontSize, MARGIN, y - fontSize, line);
    y -= fontSize * LEADING;
  }

  private void text(PDType0Font font, float fontSize, float x, float baseline, String line) {
    try {
      content.beginText();
      content.setFont(font, fontSize);
      content.newLineAtOffset(x, baseline);
      content.showText(printable(font, line));
      content.endText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void stampText(PDPageContentStream stream, PDType0Font font, float x, float baseline, String line)
      throws IOException {
    stream.beginText();
    stream.setFont(font, HEADER_SIZE);
    stream.newLineAtOffset(x, baseline);
    stream.showText(printable(font, line));
    stream.endText();
  }

  /** The text with what the font cannot show (and control characters) replaced, so rendering never fails on data. */
  static String printable(PDType0Font font, String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> out.appendCodePoint(
        !Character.isISOControl(cp) && shows(font, cp) ? cp : Character.isWhitespace(cp) ? ' ' : '?'));
    return out.toString();
  }

  /** Whether the font maps the code point to a glyph (PDFBox refuses to encode one it does not). */
  private static boolean shows(PDType0Font font, int codePoint) {
    if (codePoint < 0x7f) {
      return true;
    }
    try {
      font.encode(new String(Character.toChars(codePoint)));
      return true;
    } catch (IllegalArgumentException | IOException e) {
      return false;
    }
  }

  private static float widthOf(PDType0Font font, float fontSize, String text) {
    try {
      return font.getStringWidth(printable(font, text)) / 1000 * fontSize;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fit(PDType0Font font, float fontSize, String text, float max) {
    if (widthOf(font, fontSize, text) <= max) {
      return text;
    }
    String cut = text;
    while (!cut.isEmpty() && widthOf(font, fontSize, cut + "…") > max) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "…";
  }

  /** Greedy word wrap to {@code max} points; paragraphs break at newlines, over-long words break anywhere. */
  static List<String> wrap(PDType0Font font, float fontSize, String text, float max) {
    List<String> lines = new ArrayList<>();
    for (String paragraph : text.split("\\R", -1)) {
      StringBuilder line = new StringBuilder();
      for (String word : paragraph.split(" ")) {
        String candidate = line.isEmpty() ? word : line + " " + word;
        if (widthOf(font, fontSize, candidate) <= max) {
          line.setLength(0);
          line.append(candidate);
          continue;
        }
        if (!line.isEmpty()) {
          lines.add(line.toString());
          line.setLength(0);
        }
        String rest = word;
        while (widthOf(font, fontSize, rest) > max && rest.length() > 1) {
          int cut = rest.length() - 1;
          while (cut > 1 && widthOf(font, fontSize, rest.substring(0, cut)) > max) {
            cut--;
          }
          lines.add(rest.substring(0, cut));
          rest = rest.substring(cut);
        }
        line.append(rest);
      }
      lines.add(line.toString());
    }
    return lines;
  }
}
