using System.Text.Json;

namespace Ccs.Phantoms.Tests;

public sealed class GroundTruthTests
{
    private static readonly IReadOnlyList<PhantomSpec> Specs =
        Enumerable.Range(1, 2000).Select(i => PhantomSpec.Draw(11, i)).ToList();

    [Fact]
    public void LabelIsStenosisExactlyWhenTheCordIsDeformed()
    {
        foreach (var spec in Specs)
        {
            var pathology = spec.Pathology;
            Assert.Equal(pathology.Grade >= KangGrade.CordDeformed ? 1 : 0, pathology.Label);
            Assert.Equal(pathology.Grade == KangGrade.Normal, pathology.LevelNames.Count == 0);
            Assert.InRange(pathology.Lesions.Count, 0, 3);
            Assert.All(pathology.Lesions, l => Assert.NotEqual(KangGrade.Normal, l.Grade));
        }
    }

    [Fact]
    public void EveryGradeAndBothLabelsOccur()
    {
        var grades = Specs.GroupBy(s => s.Pathology.Grade).ToDictionary(g => g.Key, g => g.Count());

        Assert.All(Enum.GetValues<KangGrade>(), grade => Assert.True(grades.GetValueOrDefault(grade) > 150));
        Assert.InRange(Specs.Average(s => s.Pathology.Label), 0.3, 0.7);
    }

    [Fact]
    public void StenosisIsMoreCommonInOlderPatientsAndInMen()
    {
        static double Rate(IEnumerable<PhantomSpec> specs) => specs.Average(s => s.Pathology.Label);

        Assert.True(Rate(Specs.Where(s => s.Patient.Age >= 60)) > Rate(Specs.Where(s => s.Patient.Age < 45)) + 0.2);
        Assert.True(Rate(Specs.Where(s => s.Patient.IsMale)) > Rate(Specs.Where(s => !s.Patient.IsMale)) + 0.05);
    }

    [Fact]
    public void CaseJsonHasExactlyTheAgreedFields()
    {
        using var folder = new TemporaryFolder();
        var spec = Specs.First(s => s.Pathology.Lesions.Count >= 2);

        var written = CaseWriter.WriteFolder(PhantomCase.Render(spec), folder.Path);

        var json = File.ReadAllBytes(Path.Combine(written, CaseWriter.RecordFile));
        using var document = JsonDocument.Parse(json);
        var names = document.RootElement.EnumerateObject().Select(p => p.Name);
        Assert.Equal(["caseId", "age", "sex", "label", "grade", "levels", "source", "seed"], names);
        var record = CaseRecord.Parse(json);
        Assert.Equal(spec.CaseId, record.CaseId);
        Assert.Equal($"phantom-s11-{spec.Index:0000}", record.CaseId);
        Assert.Equal(spec.Patient.Age, record.Age);
        Assert.Contains(record.Sex, new[] { "M", "F" });
        Assert.Equal((int)spec.Pathology.Grade, record.Grade);
        Assert.Equal(spec.Pathology.Label, record.Label);
        Assert.Equal(spec.Pathology.LevelNames, record.Levels);
        Assert.Equal("phantom", record.Source);
        Assert.Equal(11, record.Seed);
    }
}
