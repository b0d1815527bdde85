"""Eligibility of the existing tracks as data, and the first text of the applicant help pages.

Tracks are matched by their short names (what seed_demo and the first set-up made); a track staff renamed or
added keeps the permissive defaults (any country, no consortium) until staff set its rules in the back office.
Help pages are created only where none exists, so text staff already wrote is never replaced."""

from django.db import migrations

GOVERNMENTS = ["national", "regional", "city", "international"]

RULES = {
    ("kcity", "smart-urban-planning"): dict(applicant_country_rule="outside_korea", site_country_rule="outside_korea"),
    ("kcity", "smart-solution-planning"): dict(applicant_country_rule="outside_korea",
                                               site_country_rule="outside_korea"),
    ("kcity", "overseas-demonstration"): dict(
        applicant_country_rule="korea_only", site_country_rule="outside_korea", consortium_required=True,
        consortium_description="A Korean company leads a consortium with an overseas public partner (a national, "
                               "regional or city government); foreign companies may join without subsidy."),
    ("sandbox", "sandbox-demonstration"): dict(
        applicant_country_rule="korea_only", site_country_rule="korea_only", consortium_required=True,
        consortium_description="A Korean local government with at least one company that brings the innovative "
                               "technology."),
}

HELP = {
    "eligibility": ("Who may apply", """Each track of a programme says who may apply, where the project takes place and whether a consortium is needed. The portal checks these rules when you choose a track, on every step of the form and when you submit, and tells you which tracks you may use instead.

## K-City Network
National, regional or city governments of a country other than Korea, or an international organisation working with them, apply to the planning tracks (Smart Urban planning, Smart Solution planning). A Korean company with an overseas public partner applies to the Overseas demonstration track.

## Regulatory sandbox for regionally-led smart cities
A Korean local government with companies that bring an innovative technology demonstrates a service in Korea. Organisations outside Korea cannot apply to this programme.

## One proposal per jurisdiction per cycle
A city, region or country sends one proposal per yearly selection cycle. If your jurisdiction already has one, the draft page says which; write to the secretariat if you are unsure."""),
    "evaluation": ("How proposals are evaluated", """The secretariat screens every proposal for completeness and eligibility. Proposals on tracks that require it then have a pre-consulting session with a Korean expert, who files a report for the committee.

The National Smart City Committee reviews the proposals of each selection cycle after its cut-off date. Members score each proposal on the criteria below; the weights show how much each criterion counts."""),
    "templates": ("Templates and documents", """Every track lists the documents it requires; the form's Documents step shows which are still missing. Accepted formats: PDF, Word (DOCX), Excel (XLSX), PNG and JPEG.

## Official request letter
A signed letter from the head of the applying government (or the international organisation) asking for support, naming the project and the contact person.

## Concept note
Two to five pages: the city's context, the problem, the proposed solutions, objectives, expected outcomes and the time frame.

## Budget sheet
The support requested by activity (planning, training, consulting) and any co-financing.

## Consortium agreement
For demonstration tracks: the partners, their roles and the lead organisation, signed by each partner."""),
    "faq": ("Frequently asked questions", """## When can we apply?
At any time. A proposal received by the cycle's cut-off date (30 April by default, Seoul time) is reviewed in that year's cycle; a later one joins the next.

## Can several colleagues work on one proposal?
Yes. The authorised submitter invites colleagues from the proposal page; only the submitter can submit or withdraw.

## Is the support paid to us?
No. Support pays for planning, training and consulting delivered by Korean contractors, never construction, and is never paid to the applicant.

## The secretariat asked for more information. What do we do?
Answer on the proposal page: change the fields or documents asked about, or write your answer, then confirm the resubmission."""),
    "contacts": ("Contacts", """## Programme secretariat
K-City Network secretariat, Ministry of Land, Infrastructure and Transport, Sejong, Republic of Korea.
E-mail: secretariat@kcity-network.example
Office hours: Monday to Friday, 09:00-18:00 Seoul time, except Korean public holidays.

## Cooperation centres
The local cooperation centres help governments and companies in their region prepare proposals."""),
    "privacy": ("Privacy notice", """The Ministry of Land, Infrastructure and Transport processes the personal data you give in this portal (name, e-mail address, position, phone, and the contact people of a proposal) to receive and evaluate proposals, to contact you about them and to run the projects that are supported, under the Personal Information Protection Act of Korea.

Your data is seen by the secretariat, the consultants and committee members who handle your proposal, and the cooperation centre of your region. It is not sold or used for marketing.

Proposals and their documents are kept for ten years after the decision; accounts until you ask us to close them. You may ask to see, correct or delete your data by writing to the secretariat."""),
    "terms": ("Terms of use", """By submitting a proposal you confirm that the information is accurate and that you are authorised to apply for your organisation.

Submission does not guarantee support. Decisions are made by the National Smart City Committee and are final.

Do not upload documents you have no right to share. The portal checks uploaded files and refuses files with active content."""),
}

HELP_KO = {
    "eligibility": ("신청 자격", """프로그램의 각 트랙은 누가 신청할 수 있는지, 사업이 어디에서 이루어지는지, 컨소시엄이 필요한지를 정합니다. 포털은 트랙을 고를 때, 작성 단계마다, 제출할 때 이 규칙을 확인하고, 대신 신청할 수 있는 트랙을 알려 드립니다.

## K-City Network
한국 이외 국가의 중앙·지역·도시 정부 또는 이들과 협력하는 국제기구는 계획 트랙(스마트 도시계획, 스마트 솔루션 계획)에 신청합니다. 해외 공공 파트너와 함께하는 한국 기업은 해외 실증 트랙에 신청합니다.

## 지역주도형 스마트시티 규제샌드박스
한국 지방자치단체와 혁신 기술을 가진 기업이 한국에서 서비스를 실증합니다. 한국 이외 국가의 기관은 이 프로그램에 신청할 수 없습니다.

## 관할구역당 주기별 1건
도시, 지역 또는 국가는 연간 선정 주기마다 제안서 1건을 제출합니다. 이미 제출된 제안서가 있으면 초안 화면에서 알려 드립니다."""),
    "contacts": ("연락처", """## 사무국
국토교통부 K-City Network 사무국, 세종특별자치시
이메일: secretariat@kcity-network.example
업무 시간: 월요일-금요일 09:00-18:00(서울 시간), 공휴일 제외

## 협력센터
지역 협력센터는 해당 지역의 정부와 기업이 제안서를 준비하도록 돕습니다."""),
}


def forwards(apps, schema_editor):
    Track = apps.get_model("proposals", "Track")
    HelpPage = apps.get_model("proposals", "HelpPage")
    for (programme, slug), values in RULES.items():
        Track.objects.filter(programme__slug=programme, slug=slug).update(**values)
    for language, pages in (("en", HELP), ("ko", HELP_KO)):
        for topic, (title, body) in pages.items():
            HelpPage.objects.get_or_create(topic=topic, language=language, defaults={"title": title, "body": body})


class Migration(migrations.Migration):
    dependencies = [("proposals", "0008_eligibility_rules_help_pages")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
