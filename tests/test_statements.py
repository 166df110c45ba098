import pytest

from stance.statements import Extractor, default_extractor

_RULES_ONLY = Extractor(actor_model=False)


def one(text, **doc):
    d = {"doc_id": "t", "text": text, "date": doc.pop("date", "2015-11-04"), "date_precision": "day", **doc}
    rows, _ = default_extractor().extract_document(d)
    return rows


def test_lavrov_quotes_in_seed_000(seed_statements):
    s = seed_statements[seed_statements["doc_id"] == "000_ae4d8e935ad00417"]
    goal = s[s["text"].str.contains("Our goal is to facilitate")]
    assert len(goal) == 1
    row = goal.iloc[0]
    assert (row["speaker"], row["actor"], row["kind"]) == ("Sergei Lavrov", "russia", "direct")
    place = s[s["text"].str.contains("have no place in negotiations")].iloc[0]
    assert (place["speaker"], place["actor"], place["kind"]) == ("Sergei Lavrov", "russia", "direct")


def test_he_said_resolved(seed_statements):
    s = seed_statements[seed_statements["text"].str.contains("To our regret")].iloc[0]
    assert (s["speaker"], s["actor"], s["speaker_method"]) == ("Sergei Lavrov", "russia", "pronoun")
    s = seed_statements[seed_statements["text"].str.contains("They need to do what we saw in Vienna")].iloc[0]
    assert s["speaker"] == "Staffan de Mistura" and s["actor"] == "un"


def test_foreign_ministry_statement_in_seed_003(seed_statements):
    s = seed_statements[(seed_statements["doc_id"] == "003_d4e56d22d104214a")
                        & seed_statements["cue"].eq("said") & seed_statements["speaker"].str.contains("Foreign Ministry")]
    assert len(s) == 1
    assert s.iloc[0]["actor"] == "russia" and s.iloc[0]["speaker_method"] == "metonym"


def test_role_nouns_resolved(seed_statements):
    s = seed_statements[seed_statements["text"].str.contains("key regional players")].iloc[0]
    assert (s["speaker"], s["actor"], s["speaker_method"]) == ("Sergei Lavrov", "russia", "role")


def test_offsets_match_text(seed_docs, seed_statements):
    for _, s in seed_statements.iterrows():
        assert seed_docs.loc[s["doc_id"], "text"][s["start"]:s["end"]] == s["text"]


@pytest.mark.parametrize("text, speaker, actor, kind", [
    # FA-KES text has no commas
    ('"We will not allow this" Lavrov said.', "Sergei Lavrov", "russia", "direct"),
    ("Moscow has criticized the U.S. plan, saying there should be no military solution to the crisis.",
     "Moscow", "russia", "reported"),
    ("According to Russia's Foreign Ministry, the talks will resume next week.", "Russia's Foreign Ministry", "russia", "reported"),
    ("Washington said it would keep working with its partners on a political settlement.", "Washington", "usa", "reported"),
    ("The Kremlin said it was ready to help the talks in Geneva.", "the Kremlin", "russia", "reported"),
])
def test_attribution_table(text, speaker, actor, kind):
    rows = one(text)
    assert rows, text
    assert (rows[0]["speaker"].lower(), rows[0]["actor"], rows[0]["kind"]) == (speaker.lower(), actor, kind)


def test_scare_quotes_are_not_statements():
    assert one('The so-called "moderate" rebels advanced on the town on Friday.') == []


def test_the_two_ministers_said_gives_both_actors():
    rows = one("Lavrov met John Kerry in Paris on Monday. The two ministers said the conference must go ahead.",
               date="2013-05-28")
    assert {r["actor"] for r in rows} == {"russia", "usa"}


def test_unknown_speaker_keeps_name():
    d = {"doc_id": "t", "text": "Ahmed Khalil Mansour said the town had been shelled for a week.",
         "date": "2015-11-04", "date_precision": "day"}
    rows, _ = Extractor(actor_model=False).extract_document(d)
    assert rows[0]["speaker"] == "Ahmed Khalil Mansour" and rows[0]["actor"] == "unknown"
    assert rows[0]["speaker_method"] == "name"
    # the annotations' model gives the named civilian of a shelling report an actor, and says so
    rows = one(d["text"])
    assert rows[0]["speaker"] == "Ahmed Khalil Mansour" and rows[0]["actor"] == "other"
    assert rows[0]["speaker_method"] == "name+model"


@pytest.mark.parametrize("text, actor", [
    # a police command's source speaks for the government, a rebel officer for the opposition,
    # a doctor for 'other' (data/annotations/README.md), though no data file names them
    ("A source at Idlib Police Command told SANA that two civilians were killed by rocket shells.",
     "syria_government"),
    ("Abu Omar al-Halabi a commander in the Nour al-Din al-Zenki brigade said rebels had repelled the attack.",
     "syria_opposition"),
    ("Dr Samer Hakim a surgeon at a field hospital in Douma said dozens of wounded had arrived overnight.", "other"),
])
def test_unplaced_speakers_get_an_actor_from_their_description(text, actor):
    rows = one(text, date="2016-05-01")
    assert rows and rows[0]["actor"] == actor


def test_weekday_after_the_verb_is_no_inverted_subject():
    # FA-KES 1965511131: the sentence's full stop glued to 'Monday' made it a capitalised run
    text = ("ISIL terrorists beheaded eight Syrian militants who had surrendered in a town on the border with "
            "Iraq last week despite pledges of an amnesty a monitor said Monday.")
    rows, _ = _RULES_ONLY.extract_document({"doc_id": "t", "text": text, "date": "2014-11-03",
                                            "date_precision": "day"})
    assert rows and all(r["speaker"] != "Monday" for r in rows)


def test_unnamed_residents_stay_unknown():
    # the annotators leave unnamed residents and witnesses 'unknown'; the model is not asked
    rows = one("Residents said the bombardment had not stopped since dawn.", date="2016-08-02")
    assert rows and rows[0]["actor"] == "unknown" and "+model" not in rows[0]["speaker_method"]


def test_actor_model_never_trains_on_the_held_aside_split():
    import pandas as pd

    from stance.speaker_actor import HELD_ASIDE, training_rows

    gold = pd.read_csv("data/annotations/statements.csv", dtype=str, keep_default_na=False)
    held = set(gold.loc[gold["split"].isin(HELD_ASIDE), "doc_id"])
    _, y, groups = training_rows()
    assert held and len(y) > 1000 and not held & set(groups)


def test_speech_sentences_belong_to_the_speaker():
    text = ("We support the efforts of the envoy. As the Secretary-General said, there is no military solution. "
            "Terrorists must be defeated.")
    rows, _ = Extractor().extract_document({"doc_id": "RUS", "text": text, "date": "2015", "date_precision": "year",
                                            "genre": "speech", "speaker": "Sergey Lavrov", "actor": "russia"})
    kinds = [(r["kind"], r["actor"]) for r in rows]
    assert kinds[0] == ("speech", "russia") and kinds[-1] == ("speech", "russia")
    assert len(rows) == 3


def test_unbalanced_quotes_do_not_crash():
    rows, unbalanced = default_extractor().extract_document(
        {"doc_id": "t", "text": 'He said "this will never end. Lavrov said “no” and left.', "date": ""})
    assert unbalanced >= 1


# Issue 3: each row is a real-world sentence shape and who must come out as its speaker.
@pytest.mark.parametrize("text, date, speaker, actor, kind", [
    # FA-KES has no commas: the subject follows the verb, with an appositive and no comma
    ("The air strikes also wounded more than 60 people said the Observatory a British-based war monitoring group.",
     "2017-04-04", "Syrian Observatory for Human Rights", "other", "reported"),
    # mangled quote characters of the FA-KES export, an unknown name with a rebel affiliation
    ("�_We will keep fighting until the last village is freed�_ said Zakaria Malahifji a political officer "
     "of the Fastaqim rebel group.", "2016-09-20", "Zakaria Malahifji", "syria_opposition", "direct"),
    # doubled straight quotes from a CSV export
    ('""The truce has practically failed"" Lavrov told Reuters.', "2016-09-20", "Sergei Lavrov", "russia", "direct"),
    # a bare appositive between the name and the verb; a named rescuer speaks for 'other'
    ("Mona Kurdi a spokesperson for the Syrian Arab Red Crescent noted that the convoy had been cleared.",
     "2016-09-20", "Mona Kurdi", "other", "reported"),
    ('"The situation is catastrophic" Abu Yassine a resident of eastern Aleppo told Reuters.', "2016-09-20",
     "Abu Yassine", "other", "direct"),
    # the verb's time adverbial and "that" are not part of the statement
    ("Lavrov said on Tuesday that the talks would resume in Geneva next month.", "2015-10-01",
     "Sergei Lavrov", "russia", "reported"),
    ("At least 30 people were killed in the strikes according to the Syrian Observatory for Human Rights.",
     "2016-01-01", "Syrian Observatory for Human Rights", "other", "reported"),
    # passive with an agent: the agent is the speaker
    ("Civilian casualties from government bombardment were reported by the Syrian Observatory for Human Rights "
     "in eastern Aleppo.", "2016-09-20", "Syrian Observatory for Human Rights", "other", "reported"),
    # attribution lines before and after a quote
    ('"There is no military solution to this conflict."\n\n— Commissioner Johannes Hahn', "2016-01-01",
     "Johannes Hahn", "eu", "direct"),
    ('From Lavrov:\n\n"We have never said that Assad must stay."', "2015-10-01", "Sergei Lavrov", "russia", "direct"),
])
def test_issue3_attribution_table(text, date, speaker, actor, kind):
    rows = one(text, date=date)
    assert rows, text
    assert (rows[0]["speaker"], rows[0]["actor"], rows[0]["kind"]) == (speaker, actor, kind)


def test_told_reuters_is_not_the_speaker():
    rows = one('"The helicopters will not stop for a single moment" Bebars Mishal told Reuters.', date="2016-11-16")
    assert [r["speaker"] for r in rows] == ["Bebars Mishal"]


def test_it_refers_back_to_the_last_institution():
    rows = one("The Syrian Observatory for Human Rights said 20 people died. It said the death toll was likely to rise.")
    assert [(r["actor"], r["speaker_method"]) for r in rows] == [("other", "metonym"), ("other", "pronoun")]


def test_surname_after_full_name_is_the_same_person():
    rows = one("Foreign Secretary Boris Johnson visited the camp. Johnson said Russia was committing war crimes.",
               date="2016-10-12")
    assert (rows[-1]["speaker"], rows[-1]["actor"]) == ("Boris Johnson", "uk")


def test_quote_relayed_by_another_speaker_belongs_to_the_quoted_one():
    rows = one('Lavrov said Kerry had told him: "We are ready to work with Russia on a ceasefire."', date="2016-02-01")
    assert len(rows) == 1
    assert (rows[0]["speaker"], rows[0]["actor"], rows[0]["reported_by"]) == ("John Kerry", "usa", "Sergei Lavrov")


def test_two_titled_speakers_both_speak():
    rows = one("Russian Foreign Minister Sergei Lavrov and US Secretary of State John Kerry said the ceasefire "
               "would start on Saturday.", date="2016-02-20")
    assert [(r["speaker"], r["actor"]) for r in rows] == [("Sergei Lavrov", "russia"), ("John Kerry", "usa")]
    assert rows[0]["text"] == rows[1]["text"]


def test_own_state_in_a_speech_is_the_speaker():
    text = "Syria welcomed the appointment of the Joint Special Envoy and pledged its full cooperation with him."
    rows, _ = Extractor().extract_document({"doc_id": "SYR", "text": text, "date": "2012", "date_precision": "year",
                                            "genre": "speech", "speaker": "Walid Al-Moualem",
                                            "actor": "syria_government"})
    assert [(r["speaker"], r["kind"], r["speaker_method"]) for r in rows] == [("Walid Al-Moualem", "speech", "document")]


def test_unbalanced_quote_warns_with_the_document():
    from stance.problems import StanceWarning
    from stance.statements import statements_of

    with pytest.warns(StanceWarning, match="doc-7.*unbalanced"):
        statements_of({"doc_id": "doc-7", "text": 'He said "this will never end. Lavrov said “no” and left.', "date": ""})


def test_unknown_speakers_are_counted(seed_statements):
    from stance.statements import unknown_speakers

    unk = unknown_speakers(seed_statements)
    assert list(unk.columns) == ["speaker", "statements", "documents", "example", "guessed_actor"]
    guessed = seed_statements["speaker_method"].str.endswith("+model")
    assert int(unk["statements"].sum()) == int(((seed_statements["actor"] == "unknown") | guessed).sum())
    # a guessed actor is listed with its guess, so the data files can place the speaker for good
    assert set(unk.loc[unk["guessed_actor"] != "", "speaker"]) == set(seed_statements.loc[guessed, "speaker"])


# Sentence shapes of scraped news without commas: who must come out, in order.
@pytest.mark.parametrize("text, date, expected", [
    # a relative clause between subject and verb, then 'he' for the same person
    ("Opposition activist Omar Abu Laila who currently lives in Europe but is from the province said 10 people "
     "were killed. He said Daesh cordoned off the area.", "2017-04-18",
     [("Omar Abu Laila", "syria_opposition"), ("Omar Abu Laila", "syria_opposition")]),
    # a noun inside the relative clause is not the subject; a singular human noun is a person for 'he'
    # (known error since round 6b: 'activist' speaks for the opposition, as the annotators give named and
    # unnamed activists, but they left this human rights activist 'unknown'; the rules do not tell them apart)
    pytest.param(
        "A Syrian human rights activist from Deir al-Zor who fled for Turkey last year said rebels had retreated. "
        "He said the resistance had been crushed.", "2014-08-11",
        [("Syrian human rights activist", "unknown"), ("Syrian human rights activist", "unknown")],
        marks=pytest.mark.xfail(strict=True, reason="a human rights activist is read as the opposition's")),
    # states listed without commas each speak
    ("The US Britain France and Russia have urged the Assad regime and the rebels to stop the fighting.",
     "2013-08-24", [("US", "usa"), ("Britain", "uk"), ("France", "france"), ("Russia", "russia")]),
    # coordinated verb phrase: the clause's subject also said it; a description resolves to its organisation
    ("The Britain-based monitoring group was unable to confirm the nature of the substance and said it was "
     "unclear if the planes were Syrian.", "2016-09-27", [("Syrian Observatory for Human Rights", "other")]),
    # a participle phrase between subject and verb; a one-word name with an appositive
    ("People had been waiting there since Friday night Ahmed a Madaya resident speaking to AFP by phone said.",
     "2017-04-15", [("Ahmed", "other")]),
    # an organisation before a title and a name is the person's affiliation
    ("Food production in Syria has hit a record low World Food Programme spokeswoman Bettina Luescher told a "
     "news briefing in Geneva.", "2016-11-16", [("Bettina Luescher", "un")]),
    # sentences glued without a space, and an attitude verb whose object is not its speaker
    ("US President Donald Trump said the actions were a consequence of weakness and irresolution.For his part "
     "French President Francois Hollande directly blamed Syrian regime forces for the attack.", "2017-04-05",
     [("Donald Trump", "usa"), ("Francois Hollande", "france")]),
    # 'the statement added' refers back to the institution that issued it
    ('In a Sunday statement the Syrian Network for Human Rights (SNHR) said that 12679 people died of torture. '
     '"The Syrian regime is responsible for 99 percent of deaths" the statement added.', "2016-08-28",
     [("Syrian Network for Human Rights", "other"), ("Syrian Network for Human Rights", "other")]),
    # a lost paragraph break: a mark after a sentence end opens a new quote; the surname is the same person
    ('"It was calmer last week" said Mohamad Abu Rajab a nurse in eastern Aleppo. "We lack equipment like CT '
     'scans. "There is no way out" continued Abu Rajab.', "2016-09-21",
     [("Mohamad Abu Rajab", "other"), ("Mohamad Abu Rajab", "other"), ("Mohamad Abu Rajab", "other")]),
    # a known surname after another first name is another person; a person before an organisation
    ("The city is witnessing fierce battles Ibrahim Khatib an Aleppo-based activist told AFP.", "2016-08-02",
     [("Ibrahim Khatib", "syria_opposition")]),
    ('"The U.S. seems to have gotten several things wrong" said Ole Solvang HRW deputy emergencies director.',
     "2017-04-18", [("Ole Solvang", "other")]),
    # a title-only sentence introduces the next one
    ("Director of Levant Institute for Strategic Affairs (LISA) Sami Nader said. This crime will constitute a "
     "turning point in the Syrian developments.", "2017-04-05", [("Sami Nader", "unknown")]),
    # two attributions joined by 'but': each speaker has their own words; 'he' is the first speaker
    ("Kerry told reporters on Oct. 30 that negotiations would continue within two weeks, but he warned that "
     "there will be no quick solution.", "2015-11-04", [("John Kerry", "usa"), ("John Kerry", "usa")]),
    ("US officials believe Russian aircraft were responsible for the strike but Moscow has denied involvement.",
     "2016-09-21", [("US officials", "usa"), ("Moscow", "russia")]),
    # 'adding that' after a quote is a second statement of the same speaker
    ("“I hope that this approach would be constructive,” Lavrov said, adding that the Syrian government has agreed "
     "“in principle” to send delegates to Geneva.", "2013-05-28",
     [("Sergei Lavrov", "russia"), ("Sergei Lavrov", "russia")]),
])
def test_news_without_commas_table(text, date, expected):
    # the rules alone: the annotations' model, tested below, may still place the unknown speakers
    d = {"doc_id": "t", "text": text, "date": date, "date_precision": "day"}
    rows, _ = _RULES_ONLY.extract_document(d)
    assert [(r["speaker"], r["actor"]) for r in rows] == expected


def test_content_excludes_the_speakers_title():
    rows = one("Food production in Syria has hit a record low World Food Programme spokeswoman Bettina Luescher told "
               "a news briefing in Geneva.", date="2016-11-16")
    assert rows[0]["text"] == "Food production in Syria has hit a record low"


@pytest.mark.parametrize("text, date, speaker, actor, kind", [
    # the name before an appositive is the subject, and a clause after 'said' is the statement,
    # not an inverted subject ("said Assad")
    ("Khaled Khoja, a senior official of the Syrian opposition, said Assad must go.", "2015-06-01",
     "Khaled Khoja", "syria_opposition", "reported"),
    # an unknown person's affiliation after a comma or introduced by 'of'
    ("Andrei Konin, the head of the regional branch of Russia's Federal Security Service, told the meeting "
     "that about 200 residents of Dagestan were in Syria.", "2013-09-01", "Andrei Konin", "russia", "reported"),
    ('"The advance will be from Dahiyet al-Assad towards Hamdaniyeh" said Yasser al-Youssef of the Noureddin '
     "al-Zinki rebel faction.", "2016-10-30", "Yasser al-Youssef", "syria_opposition", "direct"),
    # an age after the name, with or without commas
    ("Ahmed, 24, a Madaya resident, said the buses had not left.", "2017-04-15", "Ahmed", None, "reported"),
    ('"The bus garage is small" Ahmed 24 said.', "2017-04-15", "Ahmed", None, "direct"),
    # a title before the name after the verb
    ('"The city is witnessing fierce battles" said Aleppo-based activist Ibrahim Khatib via Skype.',
     "2014-04-01", "Ibrahim Khatib", None, "direct"),
    # 'told' + addressee + 'that': the words after 'that', however short; the that-clause's
    # subject ("Moscow opposes") is inside the statement
    ("Deputy Foreign Minister Mikhail Bogdanov told Interfax that Moscow was ready.", "2016-01-01",
     "Mikhail Bogdanov", "russia", "reported"),
    ("Russian Foreign Minister Sergei Lavrov told his U.S. counterpart John Kerry on Monday that Moscow opposes "
     "any strikes.", "2013-09-02", "Sergei Lavrov", "russia", "reported"),
    ("Lavrov told Kerry that Moscow opposes any strikes.", "2013-09-02", "Sergei Lavrov", "russia", "reported"),
    # a name in an appositive after a title is the speaker; the title tells whom they speak for
    ("The Syrian foreign minister, Walid al-Moualem, said Damascus would attend.", "2016-01-20",
     "Walid Muallem", "syria_government", "reported"),
    ("A spokesman for the High Negotiations Committee, Salem al-Meslet, said the opposition would not attend.",
     "2016-01-20", "Salem al-Meslet", "syria_opposition", "reported"),
    ("A senior Turkish official, Ibrahim Kalin, said Ankara would not accept it.", "2016-01-20", "Ibrahim Kalin",
     "turkey", "reported"),
    # passive attribution: the one quoted is the speaker, not the medium
    ("Lavrov was quoted by Interfax as saying the West wants regime change.", "2013-09-02", "Sergei Lavrov",
     "russia", "reported"),
    ("The West wants regime change, Lavrov was quoted as saying by Interfax.", "2013-09-02", "Sergei Lavrov",
     "russia", "reported"),
    # 'he' with no earlier speaker: the person who opened the previous sentence
    ("Kerry met Lavrov in Geneva on Friday. He said the talks had gone well.", "2016-09-09", "John Kerry", "usa",
     "reported"),
    # a role of an actor without a name: the office holder on the date
    ("The UN envoy said the talks had gone well.", "2016-03-01", "Staffan de Mistura", "un", "reported"),
    ("The U.S. secretary of state said the talks had gone well.", "2016-03-01", "John Kerry", "usa", "reported"),
    # a name ending in '-is' is no auxiliary, a time between subject and verb is skipped
    ("Pope Francis on Sunday also urged an end to the war in Syria.", "2017-04-16", "Pope Francis", "other",
     "reported"),
    ("Lavrov, on Tuesday, said the talks would resume.", "2016-02-02", "Sergei Lavrov", "russia", "reported"),
    ("Chechen leader Ramzan Kadyrov said his fighters were ready to go to Syria.", "2016-02-02", "Ramzan Kadyrov",
     "russia", "reported"),
    # among names before a bare appositive, the first
    ("Ammar al-Selmo the head of the Civil Defense rescue "
     "service in eastern Aleppo told Reuters the strikes were the worst in months.", "2016-09-22",
     "Ammar al-Selmo", "other", "reported"),
    # an organisation's acronym in brackets before the verb names it, unless a person speaks for it
    ("The organisations Office for the Coordination of Humanitarian Affairs (OCHA) revealed in a statement that it "
     "first became aware of the attack at 8 pm.", "2016-09-20", "OCHA", "un", "reported"),
    ('"We are sending a convoy into a besieged area" Jens Laerke spokesman for the UN Office for the Coordination of '
     "Humanitarian Affairs (OCHA) told Reuters.", "2016-09-20", "Jens Laerke", "un", "direct"),
    # a long participial phrase between the subject and the verb
    ("Kerry speaking alongside his Russian counterpart Sergei Lavrov during an interval from a bleak meeting of the "
     'International Syria Support Group (ISSG) ministers in New York insisted the ceasefire was "not dead."',
     "2016-09-20", "John Kerry", "usa", "direct"),
    # the government of a person speaks as an institution, for the person's actor
    ("These deals, which the government of President Bashar al-Assad says are the best way to end the violence, "
     "continue.", "2017-04-16", "government of President Bashar al-Assad", "syria_government", "reported"),
    # a clause word ends a would-be appositive: the subject is the US, not Assad
    ("Russia has backed the Assad regime since the war began while the US has long called on Assad to step down.",
     "2017-04-16", "US", "usa", "reported"),
    # an opening circumstance before the subject: a comma alone does not list two speakers
    ("In a phone call with Erdogan, Putin said the ceasefire must hold.", "2016-12-29", "Vladimir Putin", "russia",
     "reported"),
])
def test_round2_attribution_table(text, date, speaker, actor, kind):
    rows = one(text, date=date)
    assert rows, text
    assert (rows[0]["speaker"], rows[0]["kind"]) == (speaker, kind)
    assert len({r["speaker"] for r in rows}) == 1, rows
    if actor:
        assert rows[0]["actor"] == actor


def test_the_broadcaster_refers_back():
    rows = one('"The terrorists used chemical weapons as their last card" the Syrian state TV said. '
               "The TV said the medicines were produced by a Qatari company.", date="2013-08-24")
    assert [(r["speaker"], r["actor"]) for r in rows] == [("Syrian state TV", "syria_government")] * 2


@pytest.mark.parametrize("text, content", [
    ("In a phone call with Erdogan, Putin said the ceasefire must hold.", "the ceasefire must hold."),
    ("Speaking to reporters in Geneva, U.N. envoy Staffan de Mistura said talks would resume.",
     "talks would resume."),
    ("In Aleppo, at least 20 people were killed, the Observatory said.", "In Aleppo, at least 20 people were killed"),
    ("Damascus will attend the talks in Geneva, the Syrian foreign minister, Walid al-Moualem, said on Monday.",
     "Damascus will attend the talks in Geneva"),
    # a clause after 'X said' is X's statement even when its subject is an actor word ("British
    # aircraft could help"), and an appositive between the name and the verb keeps the name
    ("Andrew Mitchell, a former international development minister, said British aircraft could help enforce a "
     "no-fly zone.", "British aircraft could help enforce a no-fly zone."),
    ("Andrew Mitchell a former international development minister said British aircraft could help enforce a "
     "no-fly zone.", "British aircraft could help enforce a no-fly zone."),
    ("Lavrov spoke to U.S. Secretary John Kerry by phone on Wednesday, Russia's Foreign Ministry said in a statement.",
     "Lavrov spoke to U.S. Secretary John Kerry by phone on Wednesday"),
])
def test_opening_circumstance_is_not_the_statement(text, content):
    assert [r["text"] for r in one(text, date="2016-12-29")] == [content]


@pytest.mark.parametrize("text, date, expected", [
    # a capitalised word after a preposition is a place, not the subject ("in Syria a monitor said")
    ("Nearly 70 children were among those killed when a suicide car bombing tore through buses carrying evacuees "
     "from besieged government-held towns in Syria a monitor said on Sunday.", "2017-04-16",
     [("Syrian Observatory for Human Rights", "other")]),
    # a name followed by a verb and its object is a clause, not a name with an appositive
    ("On Tuesday in northern Syria an airstrike on the village of Maaret Harmeh killed 10 people and wounded "
     "several others activists said.", "2017-05-23", [("activists", "syria_opposition")]),
    # an organisation noun the data files name is that organisation, not the last speaker
    ("The White House condemned the attack. The US said it was confident. The observatory said the attack "
     "came early on Tuesday morning.", "2017-04-04",
     [("The White House", "usa"), ("The US", "usa"), ("Syrian Observatory for Human Rights", "other")]),
    # a name after 'in' is a place: the subject follows the verb
    ("The army also took villages including Bashkuwi and Sifat while battles raged in Hardatain and Ratain said "
     "the Observatory which tracks the Syrian conflict using sources on the ground.", "2016-02-04",
     [("Syrian Observatory for Human Rights", "other")]),
    # 'it' after a preposition is an object: the subject follows the verb
    ("The regime hasnt let us hear the end of it said Modar Shekho a nurse in rebel-held eastern Aleppo.",
     "2016-11-04", [("Modar Shekho", "other")]),
    # a news outlet relays the words of the sentence's own speaker
    ("Britain said on Wednesday it would raise the attack at the United Nations Security Council and called on "
     "Damascus to give U.N. inspectors access to the site Reuters reported.", "2013-08-21", [("Britain", "uk")]),
    ("Activists from the Local Coordination Committees reported at least 30 bodies had been brought to one field "
     "hospital according to Reuters.", "2013-08-21", [("Local Coordination Committees", "syria_opposition")]),
    # the possessive without its apostrophe: the institution speaks for the person's actor
    ("Assads government has responded in the past with accusations that it was the rebels that used chemical "
     "weapons.", "2013-08-21", [("Assads government", "syria_government")]),
    # a time or an -ing word before an appositive is no name; an organisation after a name is the speaker
    ("Nine other civilians were killed in rebel shelling of regime-held western Aleppo Saturday the observatory "
     "said.", "2016-08-14", [("Syrian Observatory for Human Rights", "other")]),
    ("Fighters from the group withdrew from a headquarters north of Homs on the orders of their leader Abu Bakr "
     "al-Baghdadi the Observatory said.", "2014-08-24", [("Syrian Observatory for Human Rights", "other")]),
    # Arabic article spellings of a known name
    ("Islamist group Ahrar Al Sham said on Twitter it was involved in fierce clashes near Ramussa.", "2016-08-01",
     [("Ahrar al-Sham", "syria_opposition")]),
])
def test_extract3_attribution_table(text, date, expected):
    assert [(r["speaker"], r["actor"]) for r in one(text, date=date)] == expected


def test_they_is_the_group_named_since_the_last_attribution():
    rows = one("Trump said the attack was a consequence of the past administrations weakness. The political tone "
               "of Trumps statement took many US officials by surprise. They noted that US presidents have rarely "
               "attacked their predecessors so aggressively.", date="2017-04-05")
    assert [(r["speaker"], r["actor"], r["speaker_method"]) for r in rows] == [
        ("Donald Trump", "usa", "name"), ("US officials", "usa", "pronoun")]


def test_the_official_refers_back_to_the_official_who_spoke():
    rows = one("A U.S. official familiar with initial intelligence assessments said the attack appeared to be the "
               "work of the Assad government. It was the regime acting as a regime the official said.",
               date="2013-08-23")
    assert [r["actor"] for r in rows] == ["usa", "usa"]


def test_member_of_a_named_body_speaks_for_it():
    rows = one("Khaled Omar of the opposition Local Council in Ain Tarma said he saw at least 80 bodies at the Hajjah "
               "Hospital.", date="2013-08-21")
    assert [(r["speaker"], r["actor"], r["text"][:6]) for r in rows] == [("Khaled Omar", "syria_opposition", "he saw")]


def test_a_council_with_its_own_name_is_not_the_security_council():
    rows = one("The UN Security Council met on Wednesday. The Syrian Revolutionary Command Council said regime fighter "
               "planes were flying over the area.", date="2013-08-21")
    assert [(r["speaker"], r["actor"]) for r in rows] == [("Syrian Revolutionary Command Council", "unknown")]


def test_a_participle_speaks_for_the_clause_subject():
    rows = one("The Britain-based monitor could not immediately confirm how many of the casualties were civilians "
               "saying some bodies were burned beyond recognition.", date="2016-05-28")
    assert [(r["speaker"], r["actor"], r["text"][:11]) for r in rows] == [
        ("Syrian Observatory for Human Rights", "other", "some bodies")]


# Round 5b: the actor a statement is attributed to.
@pytest.mark.parametrize("text, date, speaker, actor", [
    # people.csv: a person's actor by the office held on the statement's date
    ("Colonel Ryan Dillon a spokesman for the US-led coalition said the strikes had hit an ISIS headquarters.",
     "2017-08-01", "Ryan Dillon", "usa"),
    ("Ali al-Zaatari the UN resident coordinator in Syria said the UN office in Aleppo had been shelled.",
     "2016-10-20", "Ali al-Zaatari", "un"),
    ("Israeli minister Yuval Steinitz said the world had turned a blind eye.", "2017-04-05", "Yuval Steinitz",
     "other"),
    # Yildirim was transport minister before he was prime minister
    ("Binali Yildirim said Turkey would not allow a terror corridor on its border.", "2016-03-01",
     "Binali Yildirim", "turkey"),
    ("John Kerry said the talks in Geneva had to resume.", "2014-01-20", "John Kerry", "usa"),
    # years after his last office the former Secretary of State speaks for no state
    ("John Kerry said the war had to end.", "2019-05-01", "John Kerry", "other"),
    # organisations speak for their own actor, not for a place word or a country before their name
    ("The London Based Syrian Observatory for Human Rights announced on Sunday that 20 militants were killed.",
     "2016-08-01", "Syrian Observatory for Human Rights", "other"),
    ("Syria and Iraq Press TV reported that the strikes continued.", "2016-08-01", "Press TV", "iran"),
    ("Fars News Agency reported that the army had retaken the hills.", "2016-08-01", "Fars News Agency", "iran"),
    # nationality adjectives of other states in a title or before a role noun
    ("Dutch Foreign Minister Bert Koenders said the attack was a war crime.", "2016-08-01", "Bert Koenders", "other"),
    ("Emirati officials said they supported the strikes.", "2016-08-01", "Emirati officials", "other"),
    ("Iranian military adviser Ali Reza said the offensive would continue.", "2016-08-01", "Ali Reza", "iran"),
])
def test_actor_of_people_organisations_and_nationalities(text, date, speaker, actor):
    rows, _ = _RULES_ONLY.extract_document({"doc_id": "t", "text": text, "date": date, "date_precision": "day"})
    assert rows and (rows[0]["speaker"], rows[0]["actor"]) == (speaker, actor)


@pytest.mark.parametrize("speaker, is_name", [
    # speakers of development documents: people the data files do not know ...
    ("Yaarab Dali", True), ("Abu Shadi al-Hamwi", True), ("Bahaa al Halabi", True), ("Ahmed", True),
    ("Activist Mamun Abu Omar", True), ("Archimandrite Emanuel Youkhana", True),
    # ... and speakers that are no person's name
    ("local activist", False), ("Sources", False), ("Local officials", False), ("US-led coalition", False),
    ("statement from top residential sources", False),
])
def test_speaker_named_like_a_person(speaker, is_name):
    from stance.speaker_actor import is_personal_name

    assert is_personal_name(speaker) is is_name


def test_named_person_gets_an_actor_from_the_story_unknown_speaker_not():
    # a named local the data files do not know: the annotators give every named person an actor, so
    # 'unknown' is no answer for the model; unnamed witnesses are still not guessed
    rows = one("Yaarab Dali a member of the local council in Madaya said the regime prevented medical aid "
               "from entering the town.", date="2016-01-10")
    assert rows and rows[0]["speaker"] == "Yaarab Dali"
    assert rows[0]["actor"] != "unknown" and rows[0]["speaker_method"] == "name+model"
    rows = one("One witness said the bombardment went on all night.", date="2016-01-10")
    assert rows and rows[0]["actor"] == "unknown"


def speakers(text, date="2016-08-14"):
    rows, _ = _RULES_ONLY.extract_document({"doc_id": "t", "text": text, "date": date, "date_precision": "day"})
    return [r["speaker"] for r in rows]


@pytest.mark.parametrize("text, expected", [
    # an organisation and its role noun before a name, after the verb: the person speaks
    ('"The attack has ended and the road remains completely closed" said Observatory chief Rami Abdel Rahman.',
     ["Rami Abdel Rahman"]),
    ("Of the 45 civilians killed the highest number of dead were in Qaterji where Russian raids claimed 17 lives "
     "overnight said Observatory head Rami Abdel Rahman.", ["Rami Abdel Rahman"]),
    # an indefinite phrase right before the verb, after a name and other words, is the subject
    ("Syrias regime killed at least 28 people on Saturday when its warplanes dropped makeshift bombs on a town "
     "held by the Islamic State group a monitor said.", ["Syrian Observatory for Human Rights"]),
    ("A series of strikes in Syria overnight by a US-led coalition killed 14 jihadists from the Islamic State group "
     "and five civilians a monitoring group said on Thursday.", ["Syrian Observatory for Human Rights"]),
    # an organisation after 'the' at the end of a would-be appositive speaks, not the place before it
    ("At least eight people were killed on Thursday in government shelling on Douma in the rebel-held Eastern "
     "Ghouta region the Observatory said.", ["Syrian Observatory for Human Rights"]),
    # an organisation with a noun that says what it is
    ("An explosion at a mosque in Idlib province on Friday killed at least 25 members of the Al Qaeda-linked Nusra "
     "Front the British-based Syrian Observatory for Human Rights monitoring group said.",
     ["Syrian Observatory for Human Rights"]),
    # a name, an abbreviation in brackets and a noun: the name speaks
    ("The Islamic State (IS) group said in a statement that one of its fighters had fired on a gathering of "
     "Kurdish fighters.", ["The Islamic State"]),
    # 'The' + a common noun that refers back: the institution that spoke before
    ("The US-led coalition reported on Friday it had conducted nine airstrikes on militants in Raqqa. The alliance "
     "also said that the airstrikes had eliminated three senior foreign leaders of the group.",
     ["The US-led coalition", "The US-led coalition"]),
    # coordinated subjects: each speaks
    ("A 10-year-old girl shot in the besieged town of Madaya was evacuated to a Damascus hospital the observatory "
     "and a security source said.", ["Syrian Observatory for Human Rights", "security source"]),
    ("A hospital and a civil defence group said chlorine was dropped alongside barrel bombs on a neighbourhood of "
     "Aleppo.", ["hospital", "civil defence group"]),
    # ... but not the object of a verb or a preposition, nor a clause
    ("The attack also injured dozens and the monitor said the toll could rise further because of the number of "
     "people with serious wounds.", ["Syrian Observatory for Human Rights"]),
    ("Government aircraft bombed positions held by the rebels and the government said the strikes hit their "
     "depots.", ["government"]),
    # 'it': the institution opening the previous sentence, more recent than the last speaker
    ("The Observatory later said that 31 people were killed. The Ariha Today Facebook page posted a photo showing "
     "seven buildings reduced to rubble. It said 27 people were killed but that 12 of them have not been "
     "identified yet.", ["Syrian Observatory for Human Rights", "Ariha Today Facebook page"]),
    ("Analysts have warned that the advances could be devastating for the rebels. And the United Nations has "
     "raised concern about the fate of the people still living in rebel-held districts. It said relief supplies "
     "had already been stockpiled in the city.", ["Analysts", "United Nations"]),
    # 'it' takes a body whose name the rules read as a person's; 'he' does not
    ("The Observatory said two children were killed. The pro-regime website Al-Masdar News reported that the "
     "army withdrew from the farms of Al-Maleh. It said rebels attacked government forces with two car bombs.",
     ["Syrian Observatory for Human Rights", "Al-Masdar News", "Al-Masdar News"]),
    # a relative is a person who speaks, whom 'he' can refer to
    ("Both the groom and bride were safe but the grooms father and brother were killed in the attack a relative "
     "told AFP. \"The grooms wounds are light. He doesnt want to see anyone\" he said.", ["relative", "relative"]),
    # a surname with its article closing the sentence after a quote
    ('"If it was real I would leave now" says Mustafa a 48-year-old man. "They want only a humanitarian corridor to '
     'get out of Aleppo" says al-Hajj.', ["Mustafa", "al-Hajj"]),
    # a name, 'a' and a trade: a person with a bare appositive; an honorific is no part of the name
    ("Qamishli resident Suleiman Youssef a writer told The Associated Press by telephone that he heard the first "
     "explosion from a few miles away. He said the blasts leveled several buildings.",
     ["Suleiman Youssef", "Suleiman Youssef"]),
    ("Doctor Ibrahim al-Assad a neurologist in Saraqib said he treated 16 of 29 cases brought to his hospital.",
     ["Ibrahim al-Assad"]),
    # a participle phrase describes the subject before it
    ("Medics attending the victims said they bore the signs of a gas attack.", ["Medics"]),
    # plural speakers; 'that' inside the statement is not the complementizer
    ("Western states said the Syrian government was responsible for that attack.", ["Western states"]),
    # two sources after 'according to'
    ("Air strikes struck the town of Urum al-Joz in Idlib province on Saturday according to the Syrian Observatory "
     "for Human Rights and the Civil Defence rescue service.",
     ["Syrian Observatory for Human Rights", "Civil Defence rescue service"]),
    # a capitalised 'Said' after a capitalised word is a name
    ("Another five people were killed in an air raid on the neighbourhood of Sheikh Said the Observatory said.",
     ["Syrian Observatory for Human Rights"]),
    # an institution seated in a capital speaks, not the capital
    ("The foreign ministry in Damascus said the strikes were a violation of sovereignty.", ["foreign ministry"]),
    # 'X quoted Y as saying': Y speaks
    ("Syrian state television quoted a source as saying there was no truth whatsoever to the reports.", ["source"]),
    # a title between dashes, and a capitalised title after a known person's name
    ("The Observatory - which relies on a network of sources inside Syria for its information - says it determines "
     "what planes carried out raids.", ["Syrian Observatory for Human Rights"]),
    ("Lieutenant General Sergey Rudskoy Chief of the Main Operational Directorate of the General Staff said the "
     "Turkish side still sends weapons and gunmen.", ["Sergei Rudskoy"]),
])
def test_round5_speaker_table(text, expected):
    assert speakers(text) == expected


def test_quoted_as_saying_keeps_who_relays_it():
    rows, _ = _RULES_ONLY.extract_document({"doc_id": "t", "date": "2013-08-21", "text": (
        "Syrian state television quoted a source as saying there was no truth whatsoever to the reports.")})
    assert [(r["speaker"], r["reported_by"], r["text"][:9]) for r in rows] == [
        ("source", "Syrian state television", "there was")]


def test_he_is_not_a_body_described_with_one():
    # a person described by a body ("senior official in the Aleppo opposition group") stays 'he'
    rows = speakers('"The regime was not able to cut the road by land" said Zakaria Malahifji senior official in the '
                    'Aleppo opposition group Fastaqim. "Whoever wants to go on the Castello road is undertaking a '
                    'suicide mission" he said.')
    assert rows == ["Zakaria Malahifji", "Zakaria Malahifji"]


@pytest.mark.parametrize("text, expected", [
    # a list of three speakers without commas: after 'a' and a singular noun, a plural noun starts the next one
    ("Air strikes pounded neighbourhoods around a childrens hospital in rebel-held eastern Aleppo on Wednesday a "
     "war monitor medics and emergency workers said.",
     ["Syrian Observatory for Human Rights", "medics", "emergency workers"]),
    # ... but an article before a plural compound is one speaker
    ("The attack killed 12 people the government officials said.", ["government officials"]),
])
def test_round6_speaker_table(text, expected):
    assert speakers(text) == expected


def test_attribution_after_an_addressee_closes_the_sentence_and_adds_a_statement():
    rows, _ = _RULES_ONLY.extract_document({"doc_id": "t", "date": "2016-02-18", "text": (
        "The blast hit near the town of Azaz close to the border with Turkey local activist Mohammad al-Halabi told "
        "The New Arab adding that rebels manning the checkpoint and civilians waiting to get through were killed.")})
    assert [(r["speaker"], r["text"][:12]) for r in rows] == [
        ("Mohammad al-Halabi", "The blast hi"), ("Mohammad al-Halabi", "rebels manni")]


def test_antecedent_ranker_learns_to_prefer_the_right_candidate():
    from stance.antecedents import AntecedentRanker, Candidate, features

    text = "Kerry met Lavrov in Geneva on Monday. The Observatory said 20 people died. He said the talks went well."
    start = text.index("He said")
    kerry = Candidate("John Kerry", "usa", True, False, "name", 0, 5, -1, True, False)
    sohr = Candidate("Syrian Observatory for Human Rights", "other", False, True, "metonym", 38, 52, 0, True, True)
    groups = [("d", "singular", [features("singular", kerry, text, start, 0), features("singular", sohr, text, start, 0)],
               [True, False])] * 5 + \
             [("d", "neuter", [features("neuter", kerry, text, start, 0), features("neuter", sohr, text, start, 0)],
               [False, True])] * 5
    ranker = AntecedentRanker().fit(groups)
    # 'he' is the person who opened the earlier sentence, 'it' the body that spoke, whatever the rules said
    assert ranker.best([features("singular", kerry, text, start, 0), features("singular", sohr, text, start, 0)]) == 0
    assert ranker.best([features("neuter", kerry, text, start, 0), features("neuter", sohr, text, start, 0)]) == 1


def test_antecedent_ranker_never_trains_on_the_held_aside_split():
    import pandas as pd

    from stance.antecedents import training_groups
    from stance.speaker_actor import HELD_ASIDE

    gold = pd.read_csv("data/annotations/statements.csv", dtype=str, keep_default_na=False)
    held = set(gold.loc[gold["split"].isin(HELD_ASIDE), "doc_id"])
    groups = training_groups()
    assert held and len(groups) > 50 and not held & {g[0] for g in groups}
    # every pronoun subject offers its candidates with one feature vector each
    assert all(len(feats) == len(labels) >= 1 for _, _, feats, labels in groups)


def test_pronoun_keeps_the_rules_answer_when_the_ranker_agrees():
    rows = one("Foreign Minister Sergei Lavrov said Moscow would not back the resolution. He said the text was "
               "one-sided.", date="2013-08-28")
    assert [(r["speaker"], r["speaker_method"]) for r in rows] == [("Sergei Lavrov", "name"), ("Sergei Lavrov", "pronoun")]


# Round 6b: the actor a statement is attributed to.
@pytest.mark.parametrize("text, expected", [
    # a rank before the second speaker's known name does not hide the second attribution
    ("The observatory reported that 56 civilians were killed in strikes as they fled a village near Manbij on July 19 "
     "and Colonel Chris Garver said there was sufficient credible evidence of civilian victims to warrant a probe.",
     [("Syrian Observatory for Human Rights", "other", "56 civilians were killed in strikes as they fled a village "
       "near Manbij on July 19"),
      ("Chris Garver", "usa", "there was sufficient credible evidence of civilian victims to warrant a probe.")]),
    # one canonical name for the YPG however it is written; the monitor's British spelling
    ("The Kurdish Peoples Protection Units (YPG) said its fighters had repelled the attack on the town.",
     [("Kurdish People's Protection Units", "other", "its fighters had repelled the attack on the town.")]),
    ("The Britain-based monitoring organisation said at least 12 people were killed in the town.",
     [("Syrian Observatory for Human Rights", "other", "at least 12 people were killed in the town.")]),
    # media with no state or side are not the state media the story named before
    ("The Syrian army said it had retaken the hills. Late in March media reported that at least 200 people were "
     "killed in the strikes.", [("The Syrian army", "syria_government", "it had retaken the hills."),
                                ("media", "unknown", "at least 200 people were killed in the strikes.")]),
    ("SANA said the army had retaken the hills. The western media reports accuse Turkey and Qatar of arming the "
     "militants.", [("SANA", "syria_government", "the army had retaken the hills."),
                    ("western media", "unknown", "accuse Turkey and Qatar of arming the militants.")]),
    # an activist speaks for the opposition; other states' officials and rights groups for 'other'
    ("Mustafa Sultan a local activist in the area said the death toll had risen to 48.",
     [("Mustafa Sultan", "syria_opposition", "the death toll had risen to 48.")]),
    ("European officials said options ranged from air strikes to a no-fly zone.",
     [("European officials", "other", "options ranged from air strikes to a no-fly zone.")]),
    ("Rights groups accused both sides of indiscriminate attacks on civilians.",
     [("Rights groups", "other", "both sides of indiscriminate attacks on civilians.")]),
    ("The Kurds demanded that the National Defence Forces disband in Hasakeh.",
     [("The Kurds", "other", "the National Defence Forces disband in Hasakeh.")]),
])
def test_round6b_actor_table(text, expected):
    rows, _ = _RULES_ONLY.extract_document({"doc_id": "t", "text": text, "date": "2016-07-28",
                                            "date_precision": "day"})
    assert [(r["speaker"], r["actor"], r["text"]) for r in rows] == expected


def test_sources_and_media_without_a_side_are_not_guessed():
    # the actor model is not asked about sources, reports and media with no institution or side
    for text in ("Informed sources said the convoy had left the town at dawn.",
                 "Western media reports said the army used chemical weapons in the town.",
                 "Analysts said the advances around Aleppo could be devastating for the rebels."):
        rows = one(text, date="2016-05-01")
        assert rows and rows[0]["actor"] == "unknown" and "+model" not in rows[0]["speaker_method"]
