// Names for containers created without --name, in Docker's adjective_surname
// style (moby's namesgenerator). On a clash Docker appends a digit; so do we.

import { randomInt } from 'node:crypto';

const adjectives = [
  'admiring', 'affectionate', 'amazing', 'awesome', 'blissful', 'bold', 'brave', 'busy', 'charming', 'clever',
  'cool', 'compassionate', 'competent', 'confident', 'cranky', 'dazzling', 'determined', 'distracted', 'dreamy',
  'eager', 'ecstatic', 'elastic', 'elated', 'elegant', 'epic', 'fervent', 'festive', 'focused', 'friendly',
  'gallant', 'gifted', 'goofy', 'gracious', 'happy', 'hopeful', 'hungry', 'infallible', 'inspiring', 'jolly',
  'keen', 'kind', 'laughing', 'loving', 'lucid', 'magical', 'modest', 'musing', 'mystifying', 'nice', 'nifty',
  'nostalgic', 'objective', 'optimistic', 'peaceful', 'pensive', 'practical', 'priceless', 'quirky', 'relaxed',
  'reverent', 'romantic', 'serene', 'sharp', 'silly', 'sleepy', 'stoic', 'strange', 'suspicious', 'sweet',
  'tender', 'thirsty', 'trusting', 'upbeat', 'vibrant', 'vigilant', 'wizardly', 'wonderful', 'youthful', 'zealous',
];

const surnames = [
  'albattani', 'allen', 'babbage', 'bardeen', 'bell', 'bhabha', 'blackwell', 'bohr', 'booth', 'borg', 'bose',
  'brattain', 'cannon', 'carson', 'cerf', 'chandrasekhar', 'curie', 'darwin', 'dijkstra', 'einstein', 'elion',
  'euclid', 'euler', 'fermat', 'fermi', 'feynman', 'franklin', 'galileo', 'gauss', 'goldberg', 'goodall',
  'hamilton', 'hawking', 'heisenberg', 'hodgkin', 'hopper', 'hypatia', 'jennings', 'johnson', 'kalam', 'kepler',
  'knuth', 'lamarr', 'leakey', 'liskov', 'lovelace', 'margulis', 'mayer', 'mcclintock', 'meitner', 'mirzakhani',
  'morse', 'newton', 'nobel', 'noether', 'pascal', 'pasteur', 'perlman', 'pike', 'poincare', 'ramanujan',
  'ritchie', 'rosalind', 'sammet', 'shannon', 'shockley', 'sinoussi', 'stallman', 'swartz', 'tesla', 'thompson',
  'torvalds', 'turing', 'varahamihira', 'wilbur', 'wiles', 'williams', 'wozniak', 'wright', 'yalow', 'yonath',
];

export function randomName(attempt: number): string {
  const name = `${adjectives[randomInt(adjectives.length)]}_${surnames[randomInt(surnames.length)]}`;
  if (name === 'boring_wozniak') return randomName(attempt); // Steve Wozniak is not boring (moby's rule)
  return attempt > 0 ? `${name}${randomInt(10)}` : name;
}
