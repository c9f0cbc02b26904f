import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Hand-written rows in the benchmark data's formats (QQP pairs JSONL, RouteLLM MMLU and GSM8K CSVs),
 * written to a temp folder for the bench tests. The benchmark data itself is only ever read from
 * ../shared/data by path; none of it, and no file in its format, is committed.
 */
const TOY_FILES: Record<string, string> = {
  "cache/toy-pairs.jsonl": "{\"a\": \"What is the capital of France?\", \"b\": \"what is the capital of france\", \"duplicate\": true}\n{\"a\": \"How do I convert celsius to fahrenheit?\", \"b\": \"How do I convert fahrenheit to celsius?\", \"duplicate\": false}\n{\"a\": \"How do I learn Python quickly?\", \"b\": \"How do I learn Python quickly ?!\", \"duplicate\": true}\n{\"a\": \"Where can I buy a used car?\", \"b\": \"When can I buy a used car?\", \"duplicate\": false}\n",
  "cache/toy-bad-pairs.jsonl": "{\"a\": \"x\", \"b\": \"y\", \"duplicate\": true}\n{\"a\": \"x\", \"duplicate\": true}\n",
  "routing/gsm8k_contaminated_prompts.jsonl": "{\"train_prompt\":\"A shop sells pens at 3 dollars each and gives one free pen for every four bought.\",\"eval_prompt\":\"A shop sells pens at 3 dollars each and gives one free pen for every four bought. Mia pays 36 dollars. How many pens does she take home?\"}\n",
  "routing/toy-gsm8k-responses.csv": "prompt,cheap-model,strong-model,cheap-model_response,strong-model_response\n\"A baker makes 24 loaves every morning and sells three quarters of them by noon. He gives half of the rest to a shelter. How many loaves does he keep?\",False,True,\"He sells 18, so 6 remain; half is 3. He keeps 6.\",\"He sells 24 * 3/4 = 18 loaves, leaving 6. Half of 6 is 3, so he keeps 3. The answer is 3.\"\n\"Tom reads 12 pages a day for 5 days and then 20 pages on the sixth day. How many pages has he read in total after those six days?\",True,True,\"12 * 5 = 60, plus 20 is 80. The answer is 80.\",\"He reads 12 * 5 = 60 pages, then 20 more: 60 + 20 = 80. The answer is 80.\"\n\"A shop sells pens at 3 dollars each and gives one free pen for every four bought. Mia pays 36 dollars. How many pens does she take home?\",True,False,\"36 / 3 = 12 pens bought, 3 free, 15 pens.\",\"She buys 12 pens and gets 2 free, so 14 pens.\"\n",
  "routing/mmlu/mmlu_toy_arithmetic.csv": "prompt,cheap-model,strong-model\n\"What is 7 multiplied by 8, plus the square root of 49?\nA. 61\nB. 63\nC. 56\nD. 65\nAnswer:\",False,True\n\"Which of the following numbers is prime?\nA. 21\nB. 27\nC. 29\nD. 33\nAnswer:\",True,True\n",
  "routing/mmlu/mmlu_toy_geography.csv": "prompt,cheap-model,strong-model\n\"Which river flows through the city of Cairo, the capital of Egypt?\nA. The Amazon\nB. The Nile\nC. The Danube\nD. The Ganges\nAnswer:\",True,True\n\"Which of the following is NOT a country located on the continent of South America?\nA. Peru\nB. Chile\nC. Portugal\nD. Bolivia\nAnswer:\",True,False\n",
};

/** A temp folder holding `cache/toy-pairs.jsonl`, `cache/toy-bad-pairs.jsonl`, `routing/mmlu/*.csv`, `routing/toy-gsm8k-responses.csv` and its contamination list. */
export async function writeToyBenchData(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'tollgate-toy-data-'));
  for (const [name, content] of Object.entries(TOY_FILES)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
  return root;
}
