using System.IO.Compression;
using System.Text;
using Ccs.Core.Cases;

namespace Ccs.Core.Tests;

public sealed class CaseReaderTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static InvalidCaseException LoadFails(string path) =>
        Assert.Throws<InvalidCaseException>(() => CaseReader.Open(path, CaseLimits.Default).Single().Load());

    private static InvalidCaseException OpenFails(string path, CaseLimits? limits = null) =>
        Assert.Throws<InvalidCaseException>(() => CaseReader.Open(path, limits ?? CaseLimits.Default));

    [Fact]
    public void A_case_folder_reads_its_three_slices_and_case_json()
    {
        var files = TestFiles.Slices();
        files["case.json"] = Text("""{"caseId": "abc-1", "age": 62, "sex": "M"}""");
        var folder = _files.Folder("folder-case", files);

        var input = CaseReader.Open(folder, CaseLimits.Default).Single().Load();

        Assert.Equal("abc-1", input.CaseId);
        Assert.Equal(new Demographics(62, Sex.M), input.Demographics);
        Assert.Equal(["0.png", "1.png", "2.png"], input.Slices.Select(s => s.FileName));
        Assert.Equal(2 * 5 + 7, input.MidSlice.Pixels[7 * 112 + 5]);
    }

    [Fact]
    public void A_zip_may_hold_the_case_at_its_root_or_inside_one_folder()
    {
        var root = _files.Zip("root.zip", TestFiles.Slices());
        var nested = _files.Zip("nested.zip", TestFiles.Slices().ToDictionary(p => $"patient-7/{p.Key}", p => p.Value));

        Assert.Equal("root", CaseReader.Open(root, CaseLimits.Default).Single().Load().CaseId);
        Assert.Equal("patient-7", CaseReader.Open(nested, CaseLimits.Default).Single().Load().CaseId);
    }

    [Fact]
    public void A_batch_takes_demographics_from_the_csv_with_a_blank_index_header()
    {
        var csv = Text(",sex,age,label\n0,F,70,0\n1,M,62.0,1\n");
        var files = new Dictionary<string, byte[]> { ["demographics.csv"] = csv };
        foreach (var i in new[] { 0, 1 })
        {
            foreach (var (name, bytes) in TestFiles.Slices())
            {
                files[$"case_{i}/{name}"] = bytes;
            }
        }

        var cases = CaseReader.Open(_files.Folder("batch", files), CaseLimits.Default).Select(c => c.Load()).ToList();

        Assert.Equal(["case_0", "case_1"], cases.Select(c => c.CaseId));
        Assert.Equal(new Demographics(70, Sex.F), cases[0].Demographics);
        Assert.Equal(1, cases[1].Label);
    }

    [Fact]
    public void A_missing_slice_is_named()
    {
        var files = TestFiles.Slices();
        files.Remove("1.png");

        var error = LoadFails(_files.Folder("missing", files));

        Assert.Equal("1.png", error.File);
        Assert.Contains("slice is missing", error.Message);
        Assert.Contains("found: 0.png, 2.png", error.Message);
    }

    [Fact]
    public void A_fourth_slice_is_the_wrong_count()
    {
        var files = TestFiles.Slices();
        files["3.png"] = files["0.png"];

        var error = LoadFails(_files.Folder("four", files));

        Assert.Equal("3.png", error.File);
        Assert.Contains("found 4 slices", error.Message);
    }

    [Fact]
    public void Slices_of_unequal_size_are_refused()
    {
        var files = TestFiles.Slices();
        files["2.png"] = TestFiles.Gray8(112, 220, (_, _) => 0);

        var error = LoadFails(_files.Folder("unequal", files));

        Assert.Equal("2.png", error.File);
        Assert.Contains("112 x 220 but 0.png is 112 x 224", error.Message);
    }

    [Fact]
    public void A_colour_png_is_refused()
    {
        var files = TestFiles.Slices();
        files["0.png"] = TestFiles.Rgb(112, 224);

        var error = LoadFails(_files.Folder("colour", files));

        Assert.Equal("0.png", error.File);
        Assert.Contains("grayscale", error.Message);
        Assert.Contains("Rgb", error.Message);
    }

    [Fact]
    public void A_corrupt_png_is_refused()
    {
        var files = TestFiles.Slices();
        var broken = files["1.png"].ToArray();
        Array.Fill(broken, (byte)0x5A, 60, broken.Length - 80);
        files["1.png"] = broken;

        var error = LoadFails(_files.Folder("corrupt", files));

        Assert.Equal("1.png", error.File);
        Assert.Contains("case 'corrupt'", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_png_is_refused()
    {
        var files = TestFiles.Slices();
        files["2.png"] = Text("GIF89a definitely not a png");

        var error = LoadFails(_files.Folder("notpng", files));

        Assert.Equal("2.png", error.File);
        Assert.Contains("PNG", error.Message);
    }

    [Fact]
    public void An_image_larger_than_the_cap_is_refused_before_decoding()
    {
        var files = TestFiles.Slices();
        files["0.png"] = TestFiles.Gray8(4097, 1, (_, _) => 0);

        var error = LoadFails(_files.Folder("huge", files));

        Assert.Contains("4097 x 1", error.Message);
        Assert.Contains("4096 x 4096", error.Message);
    }

    [Theory]
    [InlineData("""{"age": 121}""", "age must be a whole number from 0 to 120")]
    [InlineData("""{"age": -1}""", "age must be a whole number from 0 to 120")]
    [InlineData("""{"sex": "X"}""", "sex must be M or F, not 'X'")]
    [InlineData("""{"age": "sixty"}""", "'age' must be a number")]
    [InlineData("""{"caseId": "../../etc"}""", "case id '../../etc' must be")]
    [InlineData("""{"caseId": "abc\n"}""", "must be")]
    [InlineData("""{"caseId": "-abc"}""", "must be")]
    [InlineData("""{"age": 50""", "is not valid JSON")]
    public void Bad_case_json_is_refused_with_its_reason(string json, string reason)
    {
        var files = TestFiles.Slices();
        files["case.json"] = Text(json);

        var error = LoadFails(_files.Folder("meta", files));

        Assert.Equal("case.json", error.File);
        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [InlineData(",sex,age\n0,F,130\n", "case_0", "age must be a whole number from 0 to 120, not 130")]
    [InlineData(",sex,age\n0,Q,30\n", "case_0", "sex must be M or F, not 'Q'")]
    public void A_bad_csv_row_fails_that_case_alone(string csv, string caseName, string reason)
    {
        var files = new Dictionary<string, byte[]> { ["demographics.csv"] = Text(csv + "1,M,40\n") };
        foreach (var i in new[] { 0, 1 })
        {
            foreach (var (name, bytes) in TestFiles.Slices())
            {
                files[$"case_{i}/{name}"] = bytes;
            }
        }

        var cases = CaseReader.Open(_files.Folder("rows", files), CaseLimits.Default);

        var error = Assert.Throws<InvalidCaseException>(() => cases[0].Load());
        Assert.Equal(caseName, error.CaseName);
        Assert.Contains("demographics.csv line 2", error.File);
        Assert.Contains(reason, error.Message);
        Assert.Equal(new Demographics(40, Sex.M), cases[1].Load().Demographics);
    }

    [Theory]
    [InlineData("index,age\n0,40\n", "has no 'sex' column")]
    [InlineData(",sex,age\n", "needs a header line and at least one case")]
    [InlineData(",sex,age\n0,F\n", "line 2 has 2 fields; the header has 3")]
    [InlineData(",sex,age\nzero,F,40\n", "case index must be a whole number")]
    [InlineData(",sex,age\n0,F,40\n0,M,50\n", "more than once")]
    public void An_unreadable_csv_fails_the_batch(string csv, string reason)
    {
        var files = new Dictionary<string, byte[]> { ["demographics.csv"] = Text(csv) };

        var error = OpenFails(_files.Folder("csv", files));

        Assert.Equal("demographics.csv", error.File);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_csv_that_is_not_utf8_is_unreadable()
    {
        var files = new Dictionary<string, byte[]> { ["demographics.csv"] = [0x2C, 0xFF, 0xFE, 0x0A, 0x30] };

        Assert.Contains("not UTF-8", OpenFails(_files.Folder("binary", files)).Message);
    }

    [Fact]
    public void A_case_listed_in_the_csv_but_absent_fails_alone()
    {
        var files = new Dictionary<string, byte[]> { ["demographics.csv"] = Text(",sex,age\n0,F,40\n") };

        var error = Assert.Throws<InvalidCaseException>(() => CaseReader.Open(_files.Folder("absent", files),
            CaseLimits.Default).Single().Load());

        Assert.Contains("listed in demographics.csv but missing", error.Message);
    }

    [Theory]
    [InlineData("../0.png")]
    [InlineData("case/../../0.png")]
    [InlineData("/etc/0.png")]
    [InlineData("C:/0.png")]
    [InlineData("..\\0.png")]
    public void Zip_entries_that_leave_the_archive_are_refused(string entry)
    {
        var zip = _files.Zip("escape.zip", new Dictionary<string, byte[]> { [entry] = [1, 2, 3] });

        var error = OpenFails(zip);

        Assert.Equal(entry, error.File);
        Assert.Contains("leaves the archive", error.Message);
    }

    [Fact]
    public void A_zip_with_too_many_entries_is_refused()
    {
        var entries = Enumerable.Range(0, 20).ToDictionary(i => $"f{i}.txt", _ => new byte[] { 1 });
        var zip = _files.Zip("many.zip", entries);

        var error = OpenFails(zip, CaseLimits.Default with { MaxArchiveEntries = 10 });

        Assert.Contains("20 entries; at most 10", error.Message);
    }

    [Fact]
    public void A_zip_bomb_is_stopped_at_the_size_cap_whatever_it_declares()
    {
        var zip = _files.Zip("bomb.zip", new Dictionary<string, byte[]> { ["0.png"] = new byte[5_000_000] });

        var perFile = OpenFails(zip, CaseLimits.Default with { MaxFileBytes = 1_000_000 });
        var whole = OpenFails(zip, CaseLimits.Default with { MaxArchiveBytes = 2_000_000 });

        Assert.Contains("at most 1000000 is accepted per file", perFile.Message);
        Assert.Contains("more than 2000000 bytes", whole.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_refused()
    {
        var path = Path.Combine(_files.Root, "fake.zip");
        File.WriteAllText(path, "this is text");

        Assert.Contains("not a readable zip", OpenFails(path).Message);
    }

    [Fact]
    public void Symbolic_links_in_a_zip_are_refused()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry("0.png");
            entry.ExternalAttributes = unchecked((int)0xA1FF0000);
            using var stream = entry.Open();
            stream.Write(Text("/etc/passwd"));
        }

        var path = Path.Combine(_files.Root, "link.zip");
        File.WriteAllBytes(path, buffer.ToArray());

        Assert.Contains("symbolic link", OpenFails(path).Message);
    }

    [Fact]
    public void An_input_without_cases_says_what_it_expected()
    {
        var error = OpenFails(_files.Folder("empty", new Dictionary<string, byte[]> { ["notes.txt"] = Text("hi") }));

        Assert.Contains("no case found", error.Message);
    }

    [Fact]
    public void A_missing_path_is_named()
    {
        var error = OpenFails(Path.Combine(_files.Root, "nowhere"));

        Assert.Contains("no such file or folder", error.Message);
    }

    [Fact]
    public void A_truncated_png_is_refused_rather_than_read_with_black_rows()
    {
        var files = TestFiles.Slices();
        files["1.png"] = files["1.png"][..(files["1.png"].Length / 2)];

        var error = LoadFails(_files.Folder("truncated", files));

        Assert.Equal("1.png", error.File);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_slice_that_is_a_fifo_or_empty_fails_without_blocking()
    {
        var folder = _files.Folder("fifo", TestFiles.Slices());
        File.Delete(Path.Combine(folder, "1.png"));
        var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(folder, "1.png"));
        mkfifo.WaitForExit();
        File.WriteAllBytes(Path.Combine(folder, "2.png"), []);

        var error = LoadFails(folder);

        Assert.Equal("1.png", error.File);
        Assert.Contains("empty or not a regular file", error.Message);
    }

    [Fact]
    public void A_slice_that_is_a_symbolic_link_is_refused()
    {
        var folder = _files.Folder("link", TestFiles.Slices());
        File.Delete(Path.Combine(folder, "0.png"));
        File.CreateSymbolicLink(Path.Combine(folder, "0.png"), "/dev/zero");

        Assert.Contains("symbolic link", LoadFails(folder).Message);
    }

    [Fact]
    public void A_case_folder_in_a_batch_that_the_csv_does_not_list_fails_instead_of_vanishing()
    {
        var quoted = Text("\"\",\"sex\",\"age\"\n\"0\",\"F\",\"40\"\n");
        var files = new Dictionary<string, byte[]> { ["demographics.csv"] = quoted };
        foreach (var i in new[] { 0, 1 })
        {
            foreach (var (name, bytes) in TestFiles.Slices())
            {
                files[$"case_{i}/{name}"] = bytes;
            }
        }

        var cases = CaseReader.Open(_files.Folder("unlisted", files), CaseLimits.Default);

        Assert.Equal(new Demographics(40, Sex.F), cases[0].Load().Demographics);
        var error = Assert.Throws<InvalidCaseException>(() => cases[1].Load());
        Assert.Contains("does not list it", error.Message);
    }

    [Fact]
    public void A_case_json_with_a_byte_order_mark_is_read_and_a_huge_one_refused()
    {
        var files = TestFiles.Slices();
        files["case.json"] = [0xEF, 0xBB, 0xBF, .. Text("""{"age": 44}""")];
        var big = TestFiles.Slices();
        big["case.json"] = Text("{\"pad\": \"" + new string('x', 100_000) + "\"}");

        var withMark = CaseReader.Open(_files.Folder("bom", files), CaseLimits.Default).Single().Load();
        Assert.Equal(44, withMark.Demographics.Age);
        Assert.Contains("a case file of more than 65536", LoadFails(_files.Folder("big", big)).Message);
    }

    [Fact]
    public void A_folder_name_that_cannot_be_a_case_id_is_named_as_the_folder()
    {
        var error = LoadFails(_files.Folder("my case", TestFiles.Slices()));

        Assert.Contains("my case", error.File);
        Assert.Contains("give a caseId in case.json", error.Message);
    }
}
